package io.qualitylake.batch.job;

import io.qualitylake.batch.lake.Lake;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Runs jobs against one session and appends every run — succeeded or failed — to
 * {@code ops.job_runs}: job, arguments, as_of, start/end, status, error, Delta versions read and
 * written, rows written, notes.
 */
public final class JobRunner {
    public static final StructType JOB_RUNS = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("job", DataTypes.StringType, false)
            .add("args", DataTypes.StringType, true)
            .add("as_of", DataTypes.DateType, true)
            .add("started_at", DataTypes.TimestampType, false)
            .add("finished_at", DataTypes.TimestampType, false)
            .add("status", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, true)
            .add("versions_read", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
            .add("versions_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
            .add("rows_written", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), true)
            .add("notes", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), true)
            .add("options", DataTypes.StringType, true)
            .add("restated_periods", DataTypes.createArrayType(DataTypes.StringType), true);

    /**
     * ops.job_runs gets one small file per run and every job reads it (its last run, the producers'
     * as_of) several times a day: at this many files it is compacted into one, so reading it costs the
     * same after years of daily runs as after the first week.
     */
    static final int COMPACT_AT_FILES = 64;

    private final SparkSession spark;
    private final int compactAtFiles;

    public JobRunner(SparkSession spark) {
        this(spark, COMPACT_AT_FILES);
    }

    JobRunner(SparkSession spark, int compactAtFiles) {
        this.spark = spark;
        this.compactAtFiles = compactAtFiles;
    }

    /** Runs one job; the run is recorded whatever happens, then a failure is rethrown. */
    public JobContext run(BatchJob job, JobContext ctx, String args) throws Exception {
        Instant started = Instant.now();
        Exception failure = null;
        try {
            ctx.fingerprint(job.fingerprint(ctx));
            ctx.previous(RunLog.lastSucceeded(spark, ctx.lake(), job.name()));
            job.run(spark, ctx);
            assert job.outputs().containsAll(ctx.rowsWritten().keySet())
                    : "job " + job.name() + " wrote " + ctx.rowsWritten().keySet() + " but declares " + job.outputs();
        } catch (Exception e) {
            failure = e;
        }
        record(job.name(), ctx, args, started, Instant.now(), failure);
        if (failure != null) {
            throw failure;
        }
        return ctx;
    }

    private static java.util.Map<String, String> notesWithSteps(JobContext ctx) {
        java.util.Map<String, String> n = new java.util.LinkedHashMap<>(ctx.notes);
        if (!ctx.steps().isEmpty()) {
            n.put("steps", ctx.steps());
        }
        return n;
    }

    private void record(String job, JobContext ctx, String args, Instant started, Instant finished, Exception failure) {
        Lake lake = ctx.lake();
        Scope scope = ctx.scope();
        List<String> periods = scope == null || scope.isEmpty() ? List.of() : scope.isAll() ? List.of("ALL") : List.copyOf(scope.months());
        Row row = RowFactory.create(ctx.runId(), job, args,
                ctx.asOf() == null ? null : java.sql.Date.valueOf(ctx.asOf()),
                Timestamp.from(started), Timestamp.from(finished), failure == null ? "SUCCEEDED" : "FAILED",
                failure == null ? null : String.valueOf(failure.getMessage()).lines().findFirst().orElse(""),
                ctx.versionsRead, ctx.versionsWritten, ctx.rowsWritten, notesWithSteps(ctx), // Spark converts java.util.Map
                ctx.fingerprint(), scala.collection.JavaConverters.asScalaBuffer(periods).toSeq());
        String path = lake.ops("job_runs");
        spark.createDataFrame(List.of(row), JOB_RUNS).write().format("delta").mode(SaveMode.Append)
                .option("mergeSchema", "true").save(path);
        if (failure == null) { // what RunLog.lastSucceeded would now read back for this job
            RunMemo.succeeded(path, job, new PastRun(ctx.runId(), ctx.asOf(), ctx.fingerprint(),
                    java.util.Map.copyOf(ctx.versionsRead), java.util.Map.copyOf(ctx.versionsWritten)));
        }
        if (io.qualitylake.batch.lake.Delta.files(spark, path) >= compactAtFiles) {
            // a rearrangement commit (dataChange=false): the rows, their history and time travel are unchanged
            io.delta.tables.DeltaTable.forPath(spark, path).optimize().executeCompaction();
        }
    }
}
