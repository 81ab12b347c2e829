package io.qualitylake.batch.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import io.qualitylake.batch.job.JobContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * Named, declarative data-quality checks on the silver tables (Deequ: one scan per table computes
 * every metric). Results go to {@code ops.dq_results}; failed constraints are reported in the run's
 * notes — they do not stop the pipeline (bad data is data, SPEC §2), but nobody misses them.
 */
public final class SilverQuality {
    private SilverQuality() {}

    /** The checks of one silver table; ERROR level: must hold; WARNING: worth a look. */
    static List<Check> checks(SilverTable t) {
        String name = "silver." + t.table();
        List<Check> out = new ArrayList<>();
        Check keys = check(CheckLevel.Error(), name + " keys")
                .isComplete("event_id", Option.empty(), Option.empty())
                .isComplete("event_time", Option.empty(), Option.empty())
                .isComplete("plant_id", Option.empty(), Option.empty());
        if (t.keys().size() == 1) {
            keys = keys.isUnique("event_id", Option.empty(), Option.empty());
        }
        out.add(keys);
        switch (t) {
            case PRODUCTION_UNITS -> out.add(check(CheckLevel.Error(), name + " values")
                    .isContainedIn("result", new String[] {"PASS", "SCRAP"})
                    .isNonNegative("rework_count", Check.IsOne(), Option.empty())
                    .isNonNegative("unit_value", Check.IsOne(), Option.empty()));
            case MEASUREMENTS -> out.add(check(CheckLevel.Warning(), name + " spec limits")
                    .satisfies("lsl IS NULL OR usl IS NULL OR lsl <= usl", "lsl <= usl", Check.IsOne(), Option.empty(),
                            scala.collection.immutable.List$.MODULE$.empty(), Option.empty()));
            case DEFECTS -> out.add(check(CheckLevel.Error(), name + " values")
                    .isNonNegative("cost", Check.IsOne(), Option.empty())
                    .isContainedIn("disposition", new String[] {"REWORK", "SCRAP", "USE_AS_IS"}));
            case SPOT_CHECKS -> out.add(check(CheckLevel.Error(), name + " values")
                    .satisfies("nonconforming <= sample_size", "nonconforming <= sample_size", Check.IsOne(), Option.empty(),
                            scala.collection.immutable.List$.MODULE$.empty(), Option.empty()));
            case FIELD_FAILURES -> out.add(check(CheckLevel.Error(), name + " values")
                    .isNonNegative("claim_cost", Check.IsOne(), Option.empty())
                    .isComplete("serial_no", Option.empty(), Option.empty()));
            default -> { }
        }
        return out;
    }

    private static Dataset<Row> added(SparkSession spark, String path, Long before) {
        long now = io.qualitylake.batch.job.Tables.version(spark, path);
        if (before != null && before >= now) {
            return spark.read().format("delta").load(path).limit(0);
        }
        Dataset<Row> changes = before == null ? null : io.qualitylake.batch.lake.ChangeFeed.between(spark, path, before, now);
        if (changes == null) {
            return spark.read().format("delta").load(path);
        }
        return changes.filter(col("_change_type").equalTo("insert")).drop("_change_type", "_commit_version", "_commit_timestamp");
    }

    private static Check check(scala.Enumeration.Value level, String description) {
        return new Check(level, description, scala.collection.immutable.List$.MODULE$.empty());
    }

    /**
     * Runs the checks on the rows this run added to each silver table (the change feed since
     * {@code before}; the whole table where there is no feed), stores the results, and returns how
     * many constraints failed. Keys are unique by construction (MERGE on them), so new rows suffice.
     */
    public static long verify(SparkSession spark, JobContext ctx, java.util.Map<SilverTable, Long> before) {
        Dataset<Row> all = null;
        for (SilverTable t : SilverTable.values()) {
            String path = ctx.lake().silver(t.table());
            if (!io.qualitylake.batch.job.Tables.exists(spark, path)) {
                continue;
            }
            Dataset<Row> data = added(spark, path, before.get(t));
            if (data.isEmpty()) { // Deequ reports every constraint of an empty table as failed
                ctx.note("dq.silver." + t.table(), "no new rows, not checked");
                continue;
            }
            var run = new VerificationSuite().onData(data);
            for (Check c : checks(t)) {
                run = run.addCheck(c);
            }
            VerificationResult result = run.run();
            Dataset<Row> rows = VerificationResult.checkResultsAsDataFrame(spark, result,
                    VerificationResult.checkResultsAsDataFrame$default$3()).withColumn("table", lit("silver." + t.table()));
            all = all == null ? rows : all.unionByName(rows);
        }
        if (all == null) {
            return 0;
        }
        Dataset<Row> stored = all.withColumn("checked_at", current_timestamp()).persist();
        try {
            stored.write().format("delta").mode(SaveMode.Append).option("mergeSchema", "true").save(ctx.lake().ops("dq_results"));
            List<Row> failed = stored.filter(col("constraint_status").notEqual("Success"))
                    .select("table", "check_level", "constraint", "constraint_message").collectAsList();
            for (Row f : failed) {
                System.err.println("qlake batch silver: data quality " + f.getString(1) + " in " + f.getString(0) + ": "
                        + f.getString(2) + " - " + f.getString(3));
            }
            ctx.note("dq_failed_constraints", Long.toString(failed.size()));
            return failed.size();
        } finally {
            stored.unpersist();
        }
    }
}
