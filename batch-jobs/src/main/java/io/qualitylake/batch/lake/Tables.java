package io.qualitylake.batch.lake;

import io.delta.tables.DeltaTable;
import io.qualitylake.batch.job.JobContext;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/** Reading and writing lake tables with Delta's guarantees (atomic commits, slice replacement). */
public final class Tables {
    private Tables() {}

    /**
     * For jobs that MERGE (silver): records the commit like the writers below, if there was one. A
     * MERGE that changes nothing makes no commit; then 0 rows are recorded, not the metrics of
     * whatever commit came before.
     */
    public static void recordedSince(SparkSession spark, JobContext ctx, String name, String path, long versionBefore) {
        if (version(spark, path) == versionBefore) {
            ctx.wrote(name, versionBefore, 0);
        } else {
            recordCommit(spark, ctx, name, path);
        }
    }

    public static boolean exists(SparkSession spark, String path) {
        return Lake.isDelta(spark.sparkContext().hadoopConfiguration(), path);
    }

    /** A Delta table, recording the version read; an empty frame of {@code schema} when it does not exist yet. */
    public static Dataset<Row> read(SparkSession spark, JobContext ctx, String name, String path, StructType schema) {
        if (!exists(spark, path)) {
            return spark.createDataFrame(java.util.List.of(), schema);
        }
        ctx.read(name, version(spark, path));
        return spark.read().format("delta").load(path);
    }

    /**
     * The {@code as_of} slice of a gold table that another job writes (as_of dropped), or a one-line
     * error telling the user which job to run first.
     */
    public static Dataset<Row> goldSlice(SparkSession spark, JobContext ctx, String table, String producer) {
        return goldSlice(spark, ctx, table, producer, false);
    }

    /**
     * As above; with {@code mayBeEmpty} an existing table without rows for this as_of is a valid
     * answer (e.g. no SPC violations), not a missing prerequisite.
     */
    public static Dataset<Row> goldSlice(SparkSession spark, JobContext ctx, String table, String producer, boolean mayBeEmpty) {
        String path = ctx.lake().gold(table);
        String hint = ": run qlake batch " + producer + " --as-of " + ctx.asOf() + " first";
        if (!exists(spark, path)) {
            throw new io.qualitylake.cli.UserError("gold." + table + " does not exist" + hint);
        }
        ctx.read("gold." + table, version(spark, path));
        Dataset<Row> rows = spark.read().format("delta").load(path)
                .filter(functions.col("as_of").equalTo(functions.lit(java.sql.Date.valueOf(ctx.asOf())))).drop("as_of");
        if (!mayBeEmpty && rows.isEmpty()) {
            throw new io.qualitylake.cli.UserError("gold." + table + " has no as_of " + ctx.asOf() + " slice" + hint);
        }
        return rows;
    }

    public static long version(SparkSession spark, String path) {
        return DeltaTable.forPath(spark, path).history(1).select("version").head().getLong(0);
    }

    /** Version and rows written of the latest commit, from Delta's own commit metrics (no second pass). */
    private static void recordCommit(SparkSession spark, JobContext ctx, String name, String path) {
        Row last = DeltaTable.forPath(spark, path).history(1).select("version", "operationMetrics").head();
        java.util.Map<String, String> metrics = last.getJavaMap(1);
        String rows = metrics == null ? null
                : metrics.getOrDefault("numTargetRowsInserted", metrics.get("numOutputRows")); // MERGE, or a write
        ctx.wrote(name, last.getLong(0), rows == null ? 0 : Long.parseLong(rows));
    }

    /**
     * Replaces the {@code as_of = D} slice of a gold table in one Delta transaction (other slices
     * untouched), so a rerun for the same as_of yields the same table and a backfill adds its slice.
     */
    public static void replaceSlice(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows) {
        LocalDate asOf = ctx.asOf();
        Dataset<Row> withAsOf = rows.withColumn("as_of", functions.lit(java.sql.Date.valueOf(asOf)));
        if (!exists(spark, path)) {
            withAsOf.write().format("delta").mode(SaveMode.ErrorIfExists).save(path);
        } else {
            withAsOf.write().format("delta").mode(SaveMode.Overwrite)
                    .option("replaceWhere", "as_of = DATE'" + asOf + "'").save(path);
        }
        recordCommit(spark, ctx, name, path);
    }

    /** Replaces a whole table (dimensions) in one transaction. */
    public static void overwrite(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows) {
        rows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(path);
        recordCommit(spark, ctx, name, path);
    }
}
