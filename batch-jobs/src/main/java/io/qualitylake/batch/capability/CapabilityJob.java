package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.cli.UserError;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code qlake batch capability}: gold.process_capability (per day and month), gold.control_limits
 * (from the first {@code --baseline-subgroups} subgroups, default 25) and gold.spc_violations
 * (Nelson rules 1–6 after the baseline), each as the {@code as_of} slice. process_capability also
 * carries the Anderson–Darling normality test and percentile indices ({@link NonNormalTransforms}).
 */
public final class CapabilityJob implements BatchJob {
    public static final String BASELINE_OPTION = "baseline-subgroups";
    public static final int DEFAULT_BASELINE = 25;

    @Override
    public String name() {
        return "capability";
    }

    public static int baseline(JobContext ctx) {
        String text = ctx.option(BASELINE_OPTION, String.valueOf(DEFAULT_BASELINE));
        try {
            int b = Integer.parseInt(text);
            if (b >= 2 && b <= 10_000) {
                return b;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UserError("--baseline-subgroups must be a whole number between 2 and 10000, got '" + text + "'");
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        int baseline = baseline(ctx);
        Timestamp end = ctx.end();
        Dataset<Row> measurements = SilverTable.MEASUREMENTS.read(spark, ctx).filter(col("event_time").lt(lit(end)));
        Dataset<Row> analysed = CapabilityTransforms.analyse(
                CapabilityTransforms.perCharacteristic(CapabilityTransforms.subgroups(measurements)), baseline)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> critical = Tables.read(spark, ctx, "silver." + Dimension.CHARACTERISTICS.table(),
                    ctx.lake().silver(Dimension.CHARACTERISTICS.table()), Dimension.CHARACTERISTICS.schema())
                    .select("characteristic_id", "critical");
            Dataset<Row> capability = CapabilityTransforms.capability(analysed).join(critical, "characteristic_id", "left")
                    .join(NonNormalTransforms.perPeriod(measurements), JOIN_KEYS, "left")
                    .select(withCritical());
            Tables.replaceSlice(spark, ctx, "gold.process_capability", ctx.lake().gold("process_capability"), capability);
            Tables.replaceSlice(spark, ctx, "gold.control_limits", ctx.lake().gold("control_limits"),
                    CapabilityTransforms.limits(analysed));
            Tables.replaceSlice(spark, ctx, "gold.spc_violations", ctx.lake().gold("spc_violations"),
                    CapabilityTransforms.violations(analysed));
        } finally {
            analysed.unpersist();
        }
    }

    private static final scala.collection.Seq<String> JOIN_KEYS = scala.collection.JavaConverters.asScalaBuffer(
            java.util.List.of("plant_id", "line_id", "characteristic_id", "period_type", "period")).toSeq();

    /**
     * The capability columns in their order, the dimension's critical flag (null when unknown), then
     * the non-normal columns (null where a period has no normality test).
     */
    private static org.apache.spark.sql.Column[] withCritical() {
        java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(CapabilityTransforms.CAPABILITY.fieldNames()));
        names.add("critical");
        names.addAll(java.util.List.of("distribution", "normality_p", "cp_pct", "cpk_pct", "ppm_expected", "distribution_note"));
        return names.stream().map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new);
    }
}
