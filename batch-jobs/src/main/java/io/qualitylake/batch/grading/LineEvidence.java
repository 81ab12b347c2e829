package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.grading.Rubric;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The evidence behind each line-month's indicators, as counts, summed over each indicator's trailing
 * window (the rubric's {@code trailing_window}; 1 month = the month alone). Every indicator is a
 * ratio of sums, so a window pools its months' counts: fpy = Σ first-pass ÷ Σ units, dpmo = Σ defects
 * ÷ Σ opportunities, AFR = Σ failures ÷ Σ unit-days, quality-loss rate = Σ loss ÷ Σ output value, and
 * the critical-Cpk share is taken over every critical characteristic-month of the window. The counts
 * stay on the row: the intervals and the bootstrap need them, and they make the published value
 * reproducible.
 */
final class LineEvidence {
    private LineEvidence() {}

    /** Month number (year × 12 + month) of a yyyy-MM column, for range windows over calendar months. */
    static Column monthIndex(String period) {
        return substring(col(period), 1, 4).cast("int").multiply(12).plus(substring(col(period), 6, 2).cast("int"));
    }

    /**
     * @param lineKpis   plant_id, line_id, period, product_model, units, first_pass_units, defects, opportunities, loss, output_value
     * @param exposure   plant_id, line_id, period, unit_days, failures (per product model; summed here)
     * @param capability gold.process_capability
     * @param lossSquares {@link #lossSquares}
     * @return one row per line-month with production, the month's units and, per indicator, the windowed counts:
     *         w_units, w_first_pass, w_defects, w_opportunities, w_loss, w_output_value, w_loss_sq, w_loss_events,
     *         w_unit_days, w_failures, w_cpks (array of {cpk, n}) and each window's length
     */
    static Dataset<Row> windowed(Dataset<Row> lineKpis, Dataset<Row> exposure, Dataset<Row> capability, Dataset<Row> lossSquares,
                                 Rubric.Stability s) {
        String[] key = {"plant_id", "line_id", "period"};
        Dataset<Row> field = exposure.groupBy("plant_id", "line_id", "period")
                .agg(sum("unit_days").as("unit_days"), sum("failures").as("failures"));
        Dataset<Row> cpks = capability.filter(col("period_type").equalTo("MONTH").and(col("critical")).and(col("cpk").isNotNull()))
                .groupBy("plant_id", "line_id", "period")
                .agg(collect_list(struct(col("cpk"), col("n").cast("long").as("n"))).as("cpks"));
        Dataset<Row> months = lineKpis.withColumn("produced", lit(true))
                .join(field, key, "full_outer").join(cpks, key, "left").join(lossSquares, key, "left")
                .withColumn("m", monthIndex("period"));
        for (String c : new String[] {"units", "first_pass_units", "defects", "opportunities", "loss", "output_value", "loss_sq"}) {
            months = months.withColumn(c, coalesce(col(c), lit(0)));
        }
        months = months.withColumn("unit_days", coalesce(col("unit_days"), lit(0.0)))
                .withColumn("failures", coalesce(col("failures"), lit(0L)));
        WindowSpec line = Window.partitionBy("plant_id", "line_id").orderBy("m");
        Dataset<Row> out = months
                .withColumn("w_units", sum("units").over(frame(line, s.window("fpy"))))
                .withColumn("w_first_pass", sum("first_pass_units").over(frame(line, s.window("fpy"))))
                .withColumn("w_defects", sum("defects").over(frame(line, s.window("dpmo"))))
                .withColumn("w_opportunities", sum("opportunities").over(frame(line, s.window("dpmo"))))
                .withColumn("w_loss", sum("loss").over(frame(line, s.window("quality_loss_rate"))))
                .withColumn("w_output_value", sum("output_value").over(frame(line, s.window("quality_loss_rate"))))
                .withColumn("w_loss_sq", sum("loss_sq").over(frame(line, s.window("quality_loss_rate"))))
                // compound Poisson: Var(Σ cost) = Σ cost², so the loss is as uncertain as a count of (Σc)²/Σc² equal events
                .withColumn("w_loss_events", when(col("w_loss_sq").gt(0), col("w_loss").multiply(col("w_loss")).divide(col("w_loss_sq")))
                        .otherwise(lit(0.0)))
                .withColumn("w_unit_days", sum("unit_days").over(frame(line, s.window("afr_ratio"))))
                .withColumn("w_failures", sum("failures").over(frame(line, s.window("afr_ratio"))))
                .withColumn("w_cpks", flatten(collect_list(coalesce(col("cpks"),
                        expr("cast(array() as array<struct<cpk:double,n:bigint>>)"))).over(frame(line, s.window("critical_cpk_share")))));
        return out.filter(col("produced").equalTo(true)).drop("produced", "cpks", "m");
    }

    /**
     * Σ cost² of the loss events per line and month, the same events as the quality KPIs' losses:
     * defects by their own month, claims by the month their unit was built (SPEC §4).
     *
     * @return plant_id, line_id, period, loss_sq
     */
    static Dataset<Row> lossSquares(Dataset<Row> defects, Dataset<Row> failures, Dataset<Row> units) {
        Dataset<Row> internal = defects.filter(col("cost").gt(0))
                .select(col("plant_id"), col("line_id"), date_format(col("event_time"), "yyyy-MM").as("period"),
                        col("cost").multiply(col("cost")).as("sq"));
        Dataset<Row> external = failures.filter(col("claim_cost").gt(0)).select(col("serial_no"), col("claim_cost"))
                .join(units.select(col("serial_no"), col("plant_id"), col("line_id"), col("event_time")), "serial_no")
                .select(col("plant_id"), col("line_id"), date_format(col("event_time"), "yyyy-MM").as("period"),
                        col("claim_cost").multiply(col("claim_cost")).as("sq"));
        return internal.unionByName(external).groupBy("plant_id", "line_id", "period").agg(sum("sq").as("loss_sq"));
    }

    private static WindowSpec frame(WindowSpec line, int months) {
        return line.rangeBetween(-(months - 1), 0);
    }

    /** The point values of the windowed indicators (AFR as afr_pct; its ratio needs the peer median). */
    static Dataset<Row> values(Dataset<Row> w) {
        return w.withColumn("fpy", when(col("w_units").gt(0), col("w_first_pass").divide(col("w_units"))))
                .withColumn("dpmo", when(col("w_opportunities").gt(0), col("w_defects").divide(col("w_opportunities")).multiply(1_000_000)))
                .withColumn("quality_loss_rate", when(col("w_output_value").gt(0), col("w_loss").divide(col("w_output_value")).multiply(100)))
                .withColumn("afr", FieldExposure.afr("w_unit_days", "w_failures"))
                .withColumn("critical_measured", size(col("w_cpks")))
                .withColumn("critical_cpk_share", when(size(col("w_cpks")).gt(0),
                        size(expr("filter(w_cpks, x -> x.cpk >= " + MonthlyRates.CPK_CAPABLE + ")")).divide(size(col("w_cpks")))));
    }
}
