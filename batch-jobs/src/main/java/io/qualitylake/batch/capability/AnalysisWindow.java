package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Scope;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.spc.NelsonRules;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Which subgroups a daily capability run analyses. A full scope analyses every characteristic's whole
 * history. Otherwise, with F the first month in scope, a <em>settled</em> characteristic — its current
 * limits came from a full baseline of this size that ended before the month before F, and that month
 * holds at least {@link #CONTEXT} of its subgroups — is analysed from its baseline subgroups, the month
 * before F and the months from F on; every other characteristic from its whole history.
 *
 * <p>Why that is exact for what the run publishes: the refresh rewrote no subgroup before the month
 * before F ({@link SubgroupStore}), so the baseline and the limits are those of the whole history; a
 * Nelson rule looks at {@link NelsonRules#WINDOW} points, so every point from F on sees the same
 * points it would see in the whole history; capability is per day and month. The run publishes
 * capability of the months in scope and violations from F on only. The two whole-history counts of the
 * limits row are put back: monitored subgroups from a count of the store, Nelson-1 points from the
 * current violations before F plus the window's from F on.
 */
final class AnalysisWindow {
    /** Points before F a window needs so that every point from F on sees all the points the rules look at. */
    static final int CONTEXT = NelsonRules.WINDOW - 1;

    private static final String[] KEYS = CapabilityTransforms.KEYS;

    private AnalysisWindow() {}

    /**
     * @param store every subgroup before the cut-off, with the store's {@code month} partition column
     * @return {@link CapabilityTransforms#ANALYSED} rows, one per characteristic
     */
    static Dataset<Row> analysed(SparkSession spark, JobContext ctx, Scope scope, int baseline, Dataset<Row> store) {
        if (scope.isAll() || !Tables.exists(spark, ctx.lake().gold("control_limits"))
                || !Tables.exists(spark, ctx.lake().gold("spc_violations"))) {
            return whole(store, baseline);
        }
        YearMonth first = YearMonth.parse(scope.firstMonth());
        String before = first.minusMonths(1).toString();
        Timestamp from = Timestamp.from(first.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));
        Timestamp contextFrom = Timestamp.from(first.minusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC));

        // one pass over the store's keys: each characteristic's subgroups in all (the limits row's count)
        // and in the context month; a small table, collected
        List<Row> countRows = store.groupBy(KEYS[0], KEYS[1], KEYS[2])
                .agg(count(lit(1)).as("_total"), count(when(col(SubgroupStore.MONTH).equalTo(before), 1)).as("_context"))
                .collectAsList();
        if (countRows.isEmpty()) {
            return whole(store, baseline);
        }
        Dataset<Row> counts = broadcast(spark.createDataFrame(countRows, countRows.get(0).schema()));
        // settled: a whole baseline that ended before the context month, and enough context
        List<Row> settledRows = Tables.current(spark, ctx, "gold.control_limits", ctx.lake().gold("control_limits"))
                .filter(col("chart").isNotNull().and(col("baseline_subgroups").equalTo(baseline))
                        .and(col("baseline_end").lt(lit(contextFrom))))
                .select(col(KEYS[0]), col(KEYS[1]), col(KEYS[2]), col("baseline_end"))
                .join(counts.filter(col("_context").geq(CONTEXT)).drop("_context"), KEYS, "inner")
                .collectAsList();
        if (settledRows.isEmpty()) {
            ctx.note("capability_window", "none: every characteristic analysed from its whole history");
            return whole(store, baseline);
        }
        Dataset<Row> settled = broadcast(spark.createDataFrame(settledRows, settledRows.get(0).schema()));
        Dataset<Row> settledKeys = settled.select(KEYS[0], KEYS[1], KEYS[2]);
        String lastBaselineMonth = settledRows.stream().map(r -> r.getTimestamp(3).toInstant().atZone(ZoneOffset.UTC))
                .map(t -> YearMonth.from(t).toString()).max(String::compareTo).orElseThrow();

        Dataset<Row> baselines = store.filter(col(SubgroupStore.MONTH).leq(lastBaselineMonth))
                .join(settled.select(KEYS[0], KEYS[1], KEYS[2], "baseline_end"), KEYS, "inner")
                .filter(col("time").leq(col("baseline_end"))).drop("baseline_end");
        Dataset<Row> recent = store.filter(col(SubgroupStore.MONTH).geq(before)).join(settledKeys, KEYS, "left_semi");
        Dataset<Row> windowed = CapabilityTransforms.analyse(
                CapabilityTransforms.perCharacteristic(baselines.unionByName(recent)), baseline);

        // the limits row's two whole-history counts put back
        Dataset<Row> earlierRule1 = Tables.current(spark, ctx, "gold.spc_violations", ctx.lake().gold("spc_violations"))
                .filter(col("rule").equalTo("NELSON_1").and(col("subgroup_time").lt(lit(from))))
                .groupBy(KEYS[0], KEYS[1], KEYS[2]).agg(count(lit(1)).as("_rule1_before"));
        Column rule1From = expr("size(filter(violations, v -> v.rule = 'NELSON_1' AND v.subgroup_time >= TIMESTAMP'"
                + from.toInstant() + "'))");
        Column monitored = when(col("limits.monitored_subgroups").gt(0), col("_total").minus(baseline).cast("int")).otherwise(0);
        Column rule1 = when(col("limits.monitored_subgroups").gt(0),
                coalesce(col("_rule1_before"), lit(0L)).plus(rule1From).cast("int")).otherwise(0);
        Dataset<Row> fixed = windowed.join(settled.select(KEYS[0], KEYS[1], KEYS[2], "_total"), KEYS, "left")
                .join(earlierRule1, KEYS, "left")
                .withColumn("limits", col("limits").withField("monitored_subgroups", monitored)
                        .withField("violating_subgroups_nelson_1", rule1))
                .select(java.util.Arrays.stream(CapabilityTransforms.ANALYSED.fieldNames()).map(org.apache.spark.sql.functions::col)
                        .toArray(Column[]::new));

        int rest = countRows.size() - settledRows.size();
        ctx.note("capability_window", settledRows.size() + " characteristic(s) from their baseline and " + before
                + " on, " + rest + " from their whole history");
        if (rest == 0) {
            return fixed;
        }
        return fixed.unionByName(whole(store.join(settledKeys, KEYS, "left_anti"), baseline));
    }

    private static Dataset<Row> whole(Dataset<Row> subgroups, int baseline) {
        return CapabilityTransforms.analyse(CapabilityTransforms.perCharacteristic(subgroups), baseline);
    }
}
