package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.PlantedWorld;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Backtest on planted truth (issue 15 item 2): the forecast made at as_of D = 2025-06-30 from what had
 * happened by then, against the first warranty claims the simulator delivered in July … December 2025
 * for the units at risk at D. The actual counts are computed here with plain Spark SQL from the silver
 * tables of the whole simulated year, not with the forecast code.
 */
class WarrantyBacktestIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final LocalDate D = LocalDate.of(2025, 6, 30);

    /**
     * Every model × build month × forecast month cell with units at risk: its 90 % interval must hold
     * the delivered count in at least 85 % of the cells (the bar; a correct 90 % interval
     * falls below 85 % over ~100 cells only with probability of a few per cent, and ours are
     * conservative by construction: whole-claim quantiles plus parameter uncertainty).
     */
    @Test
    void ninetyPercentIntervalsCoverTheDeliveredClaims() throws Exception {
        PlantedWorld world = PlantedWorld.get();
        assertTrue(!D.plusMonths(6).isAfter(world.asOf), "the simulated year delivers all six months: " + world.asOf);
        Path lake = world.lake;
        Dataset<Row> installs = BatchTestSupport.table(SPARK, lake, "silver.installs");
        Dataset<Row> failures = BatchTestSupport.table(SPARK, lake, "silver.field_failures");
        Dataset<Row> units = BatchTestSupport.table(SPARK, lake, "silver.production_units");
        StructType productSchema = new StructType().add("product_model", DataTypes.StringType)
                .add("duty_hours_per_day", DataTypes.DoubleType).add("warranty_months", DataTypes.IntegerType);
        Dataset<Row> noProducts = SPARK.createDataFrame(List.of(), productSchema); // 24-month default: nobody is out of warranty within a year
        Timestamp endD = Timestamp.from(D.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Dataset<Row> livesAtD = ReliabilityTransforms.withProductDefaults(ReliabilityTransforms.unitLives(installs, failures, units, endD), noProducts);
        Dataset<Row> forecast = WarrantyForecastTransforms.forecast(livesAtD, D).cache();

        // the truth: units installed before D's end with no failure before it; their first failure, if a warranty claim
        Dataset<Row> firstInstall = installs.groupBy("serial_no").agg(min("event_time").as("installed_at"),
                org.apache.spark.sql.functions.min_by(col("product_model"), col("event_time")).as("product_model"));
        Dataset<Row> firstFailure = failures.join(firstInstall.select("serial_no", "installed_at"), "serial_no")
                .filter(col("event_time").geq(col("installed_at")))
                .groupBy("serial_no").agg(min("event_time").as("failed_at"),
                        org.apache.spark.sql.functions.min_by(col("warranty"), col("event_time")).as("warranty"));
        Dataset<Row> built = units.groupBy("serial_no").agg(date_format(min("event_time"), "yyyy-MM").as("build_month"));
        Dataset<Row> atRisk = firstInstall.filter(col("installed_at").lt(lit(endD)))
                .join(firstFailure, "serial_no", "left").join(built, "serial_no")
                .filter(col("failed_at").isNull().or(col("failed_at").geq(lit(endD))));
        Dataset<Row> actual = atRisk.filter(col("warranty"))
                .withColumn("forecast_month", date_format(col("failed_at"), "yyyy-MM"))
                .groupBy("product_model", "build_month", "forecast_month").agg(count(lit(1)).as("actual"));
        List<Row> cells = forecast.join(actual, new String[] {"product_model", "build_month", "forecast_month"}, "left")
                .na().fill(0L, new String[] {"actual"})
                .filter(col("units_at_risk").gt(0).and(col("build_month").notEqual(WarrantyForecastTransforms.ALL_BUILD_MONTHS)))
                .orderBy("product_model", "build_month", "months_ahead").collectAsList();
        int covered = 0;
        double expected = 0;
        long delivered = 0;
        for (Row c : cells) {
            long a = c.getAs("actual");
            boolean in = c.<Long>getAs("pi_lo") <= a && a <= c.<Long>getAs("pi_hi");
            covered += in ? 1 : 0;
            expected += c.<Double>getAs("expected_claims");
            delivered += a;
            System.out.printf("backtest %s %s %s +%d at_risk=%d expected=%.2f pi=[%d, %d] actual=%d%s%n", c.getAs("product_model"),
                    c.getAs("build_month"), c.getAs("forecast_month"), c.<Integer>getAs("months_ahead"), c.<Long>getAs("units_at_risk"),
                    c.<Double>getAs("expected_claims"), c.<Long>getAs("pi_lo"), c.<Long>getAs("pi_hi"), a, in ? "" : "  MISS");
        }
        double coverage = covered / (double) cells.size();
        System.out.printf("backtest as_of %s: %d cells, %d covered (%.1f %%); expected %.1f claims, delivered %d%n",
                D, cells.size(), covered, 100 * coverage, expected, delivered);
        assertTrue(cells.size() >= 50, "cells: " + cells.size());
        assertTrue(coverage >= 0.85, "coverage " + coverage);
        // each model's total (build_month ALL) against the sum of its cells' deliveries, reported (18 cells: too few for a bar)
        Dataset<Row> totals = actual.groupBy("product_model", "forecast_month").agg(org.apache.spark.sql.functions.sum("actual").as("actual"));
        for (Row t : forecast.filter(col("build_month").equalTo(WarrantyForecastTransforms.ALL_BUILD_MONTHS))
                .join(totals, new String[] {"product_model", "forecast_month"}, "left").na().fill(0L, new String[] {"actual"})
                .orderBy("product_model", "months_ahead").collectAsList()) {
            long a = t.getAs("actual");
            System.out.printf("backtest total %s %s expected=%.1f pi=[%d, %d] actual=%d%s%n", t.getAs("product_model"), t.getAs("forecast_month"),
                    t.<Double>getAs("expected_claims"), t.<Long>getAs("pi_lo"), t.<Long>getAs("pi_hi"), a,
                    t.<Long>getAs("pi_lo") <= a && a <= t.<Long>getAs("pi_hi") ? "" : "  MISS");
        }
        // every delivered claim of a unit at risk falls in a forecast cell (nothing is lost between the two)
        long outside = actual.filter(col("forecast_month").gt("2025-06").and(col("forecast_month").leq("2025-12")))
                .agg(org.apache.spark.sql.functions.sum("actual")).head().getLong(0);
        assertTrue(outside == delivered, "claims in Jul–Dec " + outside + " vs in cells " + delivered);
    }
}
