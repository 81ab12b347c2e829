package io.qualitylake.batch.job;

import org.apache.spark.sql.SparkSession;

/**
 * A Spark batch job: I/O and orchestration in {@link #run}, logic in pure Dataset → Dataset
 * transforms the job calls. The {@link JobRunner} owns the session, the ops.job_runs record and exit codes.
 */
public interface BatchJob {
    String name();

    /**
     * The lake tables the job writes ({@code silver.x}, {@code gold.y}), as the run records them: shown
     * by {@code qlake batch list}; a run that writes a table it does not declare fails under assertions (tests).
     */
    default java.util.List<String> outputs() {
        return java.util.List.of();
    }

    /** What the job does, in one line, for {@code qlake batch list}. */
    default String summary() {
        return "";
    }

    /** Whether the job works at a cut-off ({@code --as-of}, default the latest event date); reference and silver do not. */
    default boolean needsAsOf() {
        return true;
    }

    /** The options that shape this job's results, as a stable text (file options by content); "" when none. */
    default String fingerprint(JobContext ctx) {
        return "";
    }

    /** What the job wrote: table name → rows written (and the context's read/written versions). */
    void run(SparkSession spark, JobContext ctx) throws Exception;
}
