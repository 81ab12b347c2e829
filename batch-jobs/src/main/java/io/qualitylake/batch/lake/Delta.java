package io.qualitylake.batch.lake;

import org.apache.spark.sql.SparkSession;

/** Facts about a Delta table read from its log: whether it exists, its latest version, its properties. */
public final class Delta {
    private Delta() {}

    public static boolean exists(SparkSession spark, String path) {
        return Lake.isDelta(spark.sparkContext().hadoopConfiguration(), path);
    }

    /** The table's latest version, from its log (a listing and a small read: no Spark job). */
    public static long version(SparkSession spark, String path) {
        return snapshot(spark, path).version();
    }

    /** The table's properties (TBLPROPERTIES) at its latest version. */
    public static java.util.Map<String, String> properties(SparkSession spark, String path) {
        return scala.collection.JavaConverters.mapAsJavaMapConverter(snapshot(spark, path).metadata().configuration()).asJava();
    }

    /** The table's partition columns at its latest version (empty when unpartitioned). */
    public static java.util.List<String> partitionColumns(SparkSession spark, String path) {
        return scala.collection.JavaConverters.seqAsJavaList(snapshot(spark, path).metadata().partitionColumns());
    }

    /**
     * The number of data files in the table's latest version: from the version's checksum file when
     * Delta wrote one (no Spark job), else by reconstructing the table's state.
     */
    public static long files(SparkSession spark, String path) {
        org.apache.spark.sql.delta.Snapshot s = snapshot(spark, path);
        scala.Option<Object> known = s.numOfFilesIfKnown();
        return known.isDefined() ? (Long) known.get() : s.numOfFiles();
    }

    /**
     * Commits that change no rows: VACUUM writes a START and an END commit, OPTIMIZE rewrites files
     * with dataChange=false. A job that compares versions must look through them, or every table
     * vacuumed since its last run looks changed (measured: the daily run after a vacuum recomputed
     * every month and rebuilt the per-unit store).
     */
    static final java.util.Set<String> MAINTENANCE = java.util.Set.of("VACUUM START", "VACUUM END", "OPTIMIZE");

    /**
     * Whether any commit after {@code from} up to {@code to} may have changed rows: false only when
     * every one of them is a maintenance commit ({@link #MAINTENANCE}) and all are still in the log.
     */
    public static boolean dataChanged(SparkSession spark, String path, long from, long to) {
        if (to <= from) {
            return to != from;
        }
        java.util.List<Commit> commits = history(spark, path, (int) Math.min(Integer.MAX_VALUE, to - from));
        long seen = commits.stream().filter(c -> c.version() > from && c.version() <= to).count();
        return seen < to - from || commits.stream().anyMatch(c -> c.version() > from && c.version() <= to
                && !MAINTENANCE.contains(c.operation()));
    }

    /**
     * The user metadata of the table's latest commit that is not a maintenance commit
     * ({@link #MAINTENANCE}): where the stores keep the state their rows reflect. Null without one.
     */
    public static String lastDataCommitMetadata(SparkSession spark, String path) {
        for (Commit c : history(spark, path, 32)) {
            if (!MAINTENANCE.contains(c.operation())) {
                return c.userMetadata();
            }
        }
        return null; // only maintenance in the last 32 commits: no state found, the store is rebuilt
    }

    /**
     * One commit of a table's history: its version, time, operation, operation metrics (empty when none)
     * and user metadata (or null).
     */
    public record Commit(long version, java.sql.Timestamp timestamp, String operation, java.util.Map<String, String> metrics,
                         String userMetadata) {}

    /**
     * The table's latest {@code limit} commits, newest first, read from the commit files on the driver.
     * (DeltaTable.history builds a DataFrame of the same and runs a Spark job to collect it: 44 such
     * jobs in one daily run of the 3.7 M-record lake.)
     */
    public static java.util.List<Commit> history(SparkSession spark, String path, int limit) {
        java.util.List<Commit> out = new java.util.ArrayList<>();
        scala.Option<Object> last = limit == Integer.MAX_VALUE ? scala.Option.empty() : scala.Option.apply(limit); // MAX_VALUE: all
        for (org.apache.spark.sql.delta.DeltaHistory h : scala.collection.JavaConverters.seqAsJavaList(
                org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).history().getHistory(last))) {
            java.util.Map<String, String> metrics = h.operationMetrics().isDefined()
                    ? scala.collection.JavaConverters.mapAsJavaMapConverter(h.operationMetrics().get()).asJava() : java.util.Map.of();
            out.add(new Commit((Long) h.version().get(), h.timestamp(), h.operation(), metrics, h.userMetadata().isDefined() ? h.userMetadata().get() : null));
        }
        return out;
    }

    /** The table's latest version committed at or before {@code time}, or null when none was. */
    public static Long versionAt(SparkSession spark, String path, java.sql.Timestamp time) {
        Long at = null;
        for (Commit c : history(spark, path, Integer.MAX_VALUE)) {
            if (!c.timestamp().after(time) && (at == null || c.version() > at)) {
                at = c.version();
            }
        }
        return at;
    }

    private static org.apache.spark.sql.delta.Snapshot snapshot(SparkSession spark, String path) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    }
}
