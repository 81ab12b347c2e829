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

    private static org.apache.spark.sql.delta.Snapshot snapshot(SparkSession spark, String path) {
        return org.apache.spark.sql.delta.DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    }
}
