package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Monthly shares that both the enterprise levels (per enterprise) and the plant benchmarks (per
 * plant) report, defined once: the grouping keys differ, the definitions do not.
 */
public final class MonthlyRates {
    private MonthlyRates() {}

    /** A critical characteristic is capable at Cpk ≥ 1.33 (SPEC §5). */
    public static final double CPK_CAPABLE = 1.33;

    /** Adds {@code period} (yyyy-MM, UTC) from {@code event_time}. */
    public static Dataset<Row> withMonth(Dataset<Row> events) {
        return events.withColumn("period", date_format(col("event_time"), "yyyy-MM"));
    }

    private static Column[] cols(String... keys) {
        return Arrays.stream(keys).map(functions::col).toArray(Column[]::new);
    }

    /** Share of critical characteristics (month rows of process_capability with a Cpk) at Cpk ≥ 1.33, with their count. */
    public static Dataset<Row> criticalCpkShare(Dataset<Row> capability, String... keys) {
        return capability.filter(col("period_type").equalTo("MONTH").and(col("critical")).and(col("cpk").isNotNull()))
                .groupBy(cols(keys))
                .agg(count(lit(1)).as("critical_measured"),
                        sum(when(col("cpk").geq(CPK_CAPABLE), 1).otherwise(0)).divide(count(lit(1))).as("critical_cpk_share"));
    }

    /**
     * AUTO measurements ÷ all measurements, from per-day counts ({@link
     * io.qualitylake.batch.silver.MeasurementCounts}: measurements, auto_measurements, event_date).
     */
    public static Dataset<Row> autoCollectionRate(Dataset<Row> counts, String... keys) {
        return autoCollectionRateAndCount(counts, keys).drop("measurements_n");
    }

    /** As {@link #autoCollectionRate}, with the number of measurements (measurements_n). */
    public static Dataset<Row> autoCollectionRateAndCount(Dataset<Row> counts, String... keys) {
        return counts.withColumn("period", date_format(col("event_date"), "yyyy-MM")).groupBy(cols(keys))
                .agg(sum("auto_measurements").divide(sum("measurements")).as("auto_collection_rate"),
                        sum("measurements").as("measurements_n"));
    }

    /** Passed spot checks ÷ spot checks. */
    public static Dataset<Row> spotCheckPassRate(Dataset<Row> spotChecks, String... keys) {
        return spotCheckPassRateAndCount(spotChecks, keys).drop("spot_checks_n");
    }

    /** As {@link #spotCheckPassRate}, with the number of spot checks (spot_checks_n). */
    public static Dataset<Row> spotCheckPassRateAndCount(Dataset<Row> spotChecks, String... keys) {
        return spotChecks.groupBy(cols(keys))
                .agg(sum(when(col("passed"), 1).otherwise(0)).divide(count(lit(1))).as("spot_check_pass_rate"),
                        count(lit(1)).as("spot_checks_n"));
    }
}
