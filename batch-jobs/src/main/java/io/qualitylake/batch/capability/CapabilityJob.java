package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.Increments;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Scope;
import java.util.List;
import io.qualitylake.batch.job.Tables;
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
 * (Nelson rules 1–6 after the baseline), each a current table: only the months whose measurements
 * changed are replaced (violations: from the first such month on); with Kafka options also each
 * characteristic's limits to the compacted topic qlake.control-limits.v1 for the streaming monitor.
 * process_capability also carries the Anderson–Darling normality test and percentile indices
 * ({@link NonNormalTransforms}), from the measurements of the months in scope. A daily run analyses
 * settled characteristics from a window of their subgroups ({@link AnalysisWindow}).
 */
public final class CapabilityJob implements BatchJob {
    public static final String BASELINE_OPTION = "baseline-subgroups";
    public static final int DEFAULT_BASELINE = 25;

    private final java.util.Properties kafka;

    public CapabilityJob() {
        this(null);
    }

    /** @param kafka producer properties: also publish each characteristic's limits to qlake.control-limits.v1; null: do not */
    public CapabilityJob(java.util.Properties kafka) {
        this.kafka = kafka;
    }

    @Override
    public String name() {
        return "capability";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.List.of("silver.measurement_subgroups", "gold.process_capability", "gold.control_limits", "gold.spc_violations");
    }

    @Override
    public String summary() {
        return "Cp/Cpk (and percentile indices for non-normal data), control limits, Nelson rule violations; limits to Kafka with --bootstrap";
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
    public String fingerprint(JobContext ctx) {
        return BASELINE_OPTION + "=" + baseline(ctx);
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        int baseline = baseline(ctx);
        Timestamp end = ctx.end();
        String characteristics = ctx.lake().silver(Dimension.CHARACTERISTICS.table());
        Scope scope = Increments.decide(spark, ctx, List.of(
                new Increments.Input("silver." + SilverTable.MEASUREMENTS.table(), ctx.lake().silver(SilverTable.MEASUREMENTS.table()),
                        Increments.monthOf("event_date")),
                Increments.Input.wholesale("silver." + Dimension.CHARACTERISTICS.table(), characteristics)),
                List.of(ctx.lake().gold("process_capability"), ctx.lake().gold("control_limits"), ctx.lake().gold("spc_violations"),
                        SubgroupStore.path(ctx)));
        ctx.scope(scope);
        if (scope.isEmpty()) {
            return;
        }
        Dataset<Row> measurements = SilverTable.MEASUREMENTS.read(spark, ctx).filter(col("event_time").lt(lit(end)));
        Dataset<Row> analysed = AnalysisWindow.analysed(spark, ctx, scope, baseline, SubgroupStore.refresh(spark, ctx, scope, measurements))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> critical = Tables.read(spark, ctx, "silver." + Dimension.CHARACTERISTICS.table(),
                    characteristics, Dimension.CHARACTERISTICS.schema())
                    .select("characteristic_id", "critical");
            Dataset<Row> capability = CapabilityTransforms.capability(analysed).join(critical, "characteristic_id", "left")
                    .join(NonNormalTransforms.perPeriod(measurements.filter(scope.coversDate(col("event_date")))), JOIN_KEYS, "left")
                    .select(withCritical());
            Tables.replaceMonths(spark, ctx, "gold.process_capability", ctx.lake().gold("process_capability"), capability,
                    Tables.monthOfPeriod("period"));
            Tables.replaceTable(spark, ctx, "gold.control_limits", ctx.lake().gold("control_limits"),
                    CapabilityTransforms.limits(analysed));
            // a changed subgroup moves the rule windows of every later subgroup: violations from its month on
            Scope onwards = scope.isAll() ? scope
                    : Scope.months(Increments.monthsFrom(java.time.YearMonth.parse(scope.firstMonth()), ctx.asOf()), "from " + scope.firstMonth());
            Tables.replaceMonths(spark, ctx, "gold.spc_violations", ctx.lake().gold("spc_violations"),
                    CapabilityTransforms.violations(analysed), org.apache.spark.sql.functions.date_format(col("subgroup_time"), "yyyy-MM"),
                    onwards);
            if (kafka != null) {
                int sent = ControlLimitsFeed.publish(kafka, ControlLimitsFeed.messages(CapabilityTransforms.limits(analysed)));
                ctx.note("control_limits_published", sent + " message(s) to " + io.qualitylake.schemas.Topic.CONTROL_LIMITS.topicName());
            }
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
