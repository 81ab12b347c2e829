package io.qualitylake.batch.quality;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.reference.Dimension;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Production-quality KPIs (SPEC §4 "Production"), per plant × line × product_model × period, for
 * daily and monthly periods. Every input is first tagged with its period; the KPIs are then sums
 * and ratios of sums, so one grouping pass per input covers both period grains.
 */
public final class QualityTransforms {
    private QualityTransforms() {}

    static final String[] KEYS = {"plant_id", "line_id", "product_model", "period_type", "period"};

    /** Φ⁻¹(1 − dpmo/10⁶) + 1.5, null when dpmo is 0 (or not in (0, 10⁶)). */
    public static Double sigmaLevel(double dpmo) {
        if (!(dpmo > 0 && dpmo < 1_000_000)) {
            return null;
        }
        return new NormalDistribution().inverseCumulativeProbability(1 - dpmo / 1_000_000) + 1.5;
    }

    private static final UserDefinedFunction SIGMA = functions.udf(
            (Double dpmo) -> dpmo == null ? null : sigmaLevel(dpmo), DataTypes.DoubleType);

    /**
     * Each row twice: once with its day, once with its month. The copies come from one read of
     * {@code rows} (an exploded pair, not a union of two branches, each of which would read the input
     * again: a month's recomputation would then read all its inputs twice, and silver.production_units
     * whole, for every use).
     */
    static Dataset<Row> withPeriods(Dataset<Row> rows, String timeColumn) {
        Column time = col(timeColumn);
        Column periods = array(
                struct(lit("DAY").as("period_type"), date_format(time, "yyyy-MM-dd").as("period")),
                struct(lit("MONTH").as("period_type"), date_format(time, "yyyy-MM").as("period")));
        return rows.withColumn("_periods", explode(periods))
                .withColumn("period_type", col("_periods.period_type"))
                .withColumn("period", col("_periods.period"))
                .drop("_periods");
    }

    /**
     * @param units        silver.production_units (before the as_of end)
     * @param components   silver.unit_components
     * @param defects      silver.defects
     * @param measurements silver.measurements
     * @param spotChecks   silver.spot_checks
     * @param failures     silver.field_failures
     * @param products     silver.dim_products (opportunities_per_unit; default 1)
     */
    public static Dataset<Row> kpis(Dataset<Row> units, Dataset<Row> components, Dataset<Row> defects, Dataset<Row> measurements,
                                    Dataset<Row> spotChecks, Dataset<Row> failures, Dataset<Row> products) {
        return kpis(units, units, components, defects, measurements, spotChecks, failures, products);
    }

    /**
     * As above, for a run that recomputes some periods: {@code units} are the units built in those
     * periods, {@code allUnits} every unit (a defect or spot check of those periods may concern a unit
     * or batch built earlier); the other inputs hold the events of those periods, failures any.
     */
    public static Dataset<Row> kpis(Dataset<Row> units, Dataset<Row> allUnits, Dataset<Row> components, Dataset<Row> defects,
                                    Dataset<Row> measurements, Dataset<Row> spotChecks, Dataset<Row> failures, Dataset<Row> products) {
        Dataset<Row> traced = components.select("serial_no").distinct().withColumn("traced", lit(1));

        Dataset<Row> u = withPeriods(units.join(traced, units.col("serial_no").equalTo(traced.col("serial_no")), "left")
                .drop(traced.col("serial_no")), "event_time")
                .groupBy("plant_id", "line_id", "product_model", "period_type", "period")
                .agg(count(lit(1)).cast("long").as("units"),
                        sum(when(col("result").equalTo("PASS").and(col("rework_count").equalTo(0)), 1).otherwise(0)).cast("long").as("first_pass_units"),
                        sum(when(col("result").equalTo("SCRAP"), 1).otherwise(0)).cast("long").as("scrap_units"),
                        sum(when(col("rework_count").gt(0), 1).otherwise(0)).cast("long").as("rework_units"),
                        sum(when(col("traced").isNotNull(), 1).otherwise(0)).cast("long").as("traced_units"),
                        sum("unit_value").as("output_value"));

        // defects by their own date, attributed to the unit's model
        // (one grouping per station; the totals are its sums, so the defects and their units are read once)
        Dataset<Row> perStation = withPeriods(defects.join(allUnits.select("serial_no", "product_model"), "serial_no"), "event_time")
                .groupBy("plant_id", "line_id", "product_model", "period_type", "period", "station_id")
                .agg(count(lit(1)).cast("long").as("defects"), sum("cost").as("cost"), countDistinct("serial_no").as("units_with_defect"));
        Dataset<Row> defectSums = perStation.groupBy("plant_id", "line_id", "product_model", "period_type", "period")
                .agg(sum("defects").cast("long").as("defects"), sum("cost").as("internal_loss"));
        // RTY = Π_s (1 − units with ≥ 1 defect at s ÷ units), as exp(Σ log(·)) over stations

        Dataset<Row> ext = externalLoss(failures, units);

        // measurements and spot checks carry no model: per line (measurements) and per batch → line
        Dataset<Row> m = withPeriods(measurements, "event_time").groupBy("plant_id", "line_id", "period_type", "period")
                .agg(count(lit(1)).cast("long").as("measurements"),
                        sum(when(col("collection").equalTo("AUTO"), 1).otherwise(0)).cast("long").as("auto_measurements"));
        Dataset<Row> batchLine = allUnits.groupBy("plant_id", "batch_id").agg(first("line_id").as("line_id"));
        Dataset<Row> s = withPeriods(spotChecks.join(batchLine, new String[] {"plant_id", "batch_id"}), "event_time")
                .groupBy("plant_id", "line_id", "product_model", "period_type", "period")
                .agg(count(lit(1)).cast("long").as("spot_checks"),
                        sum(when(col("passed"), 1).otherwise(0)).cast("long").as("spot_checks_passed"));

        Dataset<Row> rty = perStation.join(u.select("plant_id", "line_id", "product_model", "period_type", "period", "units"),
                        new String[] {"plant_id", "line_id", "product_model", "period_type", "period"})
                .groupBy("plant_id", "line_id", "product_model", "period_type", "period")
                .agg(exp(sum(log(lit(1.0).minus(col("units_with_defect").divide(col("units")))))).as("rty_defect_stations"));

        Column units0 = col("units");
        Dataset<Row> joined = u.join(defectSums, KEYS, "left").join(ext, KEYS, "left").join(rty, KEYS, "left")
                .join(s, KEYS, "left")
                .join(m, new String[] {"plant_id", "line_id", "period_type", "period"}, "left")
                .join(products.select("product_model", "opportunities_per_unit"), new String[] {"product_model"}, "left");
        return joined
                .withColumn("defects", functions.coalesce(col("defects"), lit(0L)))
                .withColumn("internal_loss", functions.coalesce(col("internal_loss"), lit(0.0)))
                .withColumn("external_loss", functions.coalesce(col("external_loss"), lit(0.0)))
                .withColumn("spot_checks", functions.coalesce(col("spot_checks"), lit(0L)))
                .withColumn("opportunities_per_unit", functions.coalesce(col("opportunities_per_unit"), lit(Dimension.DEFAULT_OPPORTUNITIES)))
                .withColumn("fpy", col("first_pass_units").divide(units0))
                .withColumn("scrap_rate", col("scrap_units").divide(units0))
                .withColumn("rework_rate", col("rework_units").divide(units0))
                .withColumn("dpu", col("defects").divide(units0))
                .withColumn("dpmo", col("defects").divide(units0.multiply(col("opportunities_per_unit"))).multiply(1_000_000))
                .withColumn("sigma_level", SIGMA.apply(col("dpmo")))
                .withColumn("rty", functions.coalesce(col("rty_defect_stations"), lit(1.0)))
                .withColumn("quality_loss_rate", qualityLossRate(col("internal_loss"), col("external_loss"), col("output_value")))
                .withColumn("auto_collection_rate", when(col("measurements").gt(0), col("auto_measurements").divide(col("measurements"))))
                .withColumn("spot_check_pass_rate", when(col("spot_checks").gt(0), col("spot_checks_passed").divide(col("spot_checks"))))
                .withColumn("traceability_coverage", col("traced_units").divide(units0))
                .select("plant_id", "line_id", "product_model", "period_type", "period", "units", "first_pass_units", "fpy",
                        "scrap_rate", "rework_rate", "defects", "dpu", "dpmo", "sigma_level", "rty", "internal_loss",
                        "external_loss", "output_value", "quality_loss_rate", "auto_collection_rate", "spot_checks",
                        "spot_check_pass_rate", "traceability_coverage");
    }

    /** External loss (SPEC §4): claims of the units built in each period, by the unit's build date. */
    public static Dataset<Row> externalLoss(Dataset<Row> failures, Dataset<Row> units) {
        return withPeriods(failures.select(col("serial_no"), col("claim_cost"))
                .join(units.select(col("serial_no"), col("plant_id"), col("line_id"), col("product_model"), col("event_time")), "serial_no"),
                "event_time")
                .groupBy("plant_id", "line_id", "product_model", "period_type", "period").agg(sum("claim_cost").as("external_loss"));
    }

    /** quality_loss_rate = (internal + external loss) ÷ output value × 100 %; null without output. */
    public static Column qualityLossRate(Column internal, Column external, Column output) {
        return when(output.gt(0), internal.plus(external).divide(output).multiply(100));
    }

    /**
     * Current kpi rows of periods whose only change is new claims: external loss and the
     * quality-loss rate recomputed from {@code external} (externalLoss of those periods), the
     * production figures kept.
     */
    public static Dataset<Row> withExternalLoss(Dataset<Row> current, Dataset<Row> external) {
        String[] columns = current.columns();
        return current.drop("external_loss").join(external, KEYS, "left")
                .withColumn("external_loss", functions.coalesce(col("external_loss"), lit(0.0)))
                .withColumn("quality_loss_rate", qualityLossRate(col("internal_loss"), col("external_loss"), col("output_value")))
                .selectExpr(columns);
    }

    /** Defect Pareto per plant × line × period: count, cost, share, cumulative share, rank (ties by code). */
    public static Dataset<Row> pareto(Dataset<Row> defects) {
        Dataset<Row> byCode = withPeriods(defects, "event_time")
                .groupBy("plant_id", "line_id", "period_type", "period", "defect_code")
                .agg(count(lit(1)).cast("long").as("defects"), sum("cost").as("cost"));
        WindowSpec group = Window.partitionBy("plant_id", "line_id", "period_type", "period");
        WindowSpec ordered = group.orderBy(col("defects").desc(), col("defect_code").asc());
        return byCode.withColumn("share", col("defects").divide(sum("defects").over(group)))
                .withColumn("rank", row_number().over(ordered))
                .withColumn("cum_share", sum("defects").over(ordered.rowsBetween(Window.unboundedPreceding(), Window.currentRow()))
                        .divide(sum("defects").over(group)));
    }
}
