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

    /** The number of data files in the table's latest version. */
    public static long files(SparkSession spark, String path) {
        return snapshot(spark, path).numOfFiles();
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
        java.util.List<org.apache.spark.sql.Row> commits = io.delta.tables.DeltaTable.forPath(spark, path)
                .history((int) Math.min(Integer.MAX_VALUE, to - from)).select("version", "operation").collectAsList();
        long seen = commits.stream().filter(r -> r.getLong(0) > from && r.getLong(0) <= to).count();
        return seen < to - from || commits.stream().anyMatch(r -> r.getLong(0) > from && r.getLong(0) <= to
                && !MAINTENANCE.contains(r.getString(1)));
    }

    /**
     * The user metadata of the table's latest commit that is not a maintenance commit
     * ({@link #MAINTENANCE}): where the stores keep the state their rows reflect. Null without one.
     */
    public static String lastDataCommitMetadata(SparkSession spark, String path) {
        for (org.apache.spark.sql.Row r : io.delta.tables.DeltaTable.forPath(spark, path).history(32)
                .select("operation", "userMetadata").collectAsList()) {
            if (!MAINTENANCE.contains(r.getString(0))) {
                return r.isNullAt(1) ? null : r.getString(1);
            }
        }
        return null; // only maintenance in the last 32 commits: no state found, the store is rebuilt
    }

    private static org.apache.spark.sql.delta.Snapshot snapshot(SparkSession spark, String path) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    }
}
