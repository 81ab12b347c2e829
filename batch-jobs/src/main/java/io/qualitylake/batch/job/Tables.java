package io.qualitylake.batch.job;

import io.qualitylake.batch.lake.Delta;
import io.qualitylake.batch.lake.ReadCache;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * Reading and publishing a run's lake tables with Delta's guarantees (atomic commits, slice
 * replacement), recording what the run read and wrote in its {@link JobContext}.
 */
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
        return Delta.exists(spark, path);
    }

    /** A Delta table, recording the version read; an empty frame of {@code schema} when it does not exist yet. */
    public static Dataset<Row> read(SparkSession spark, JobContext ctx, String name, String path, StructType schema) {
        if (!exists(spark, path)) {
            return spark.createDataFrame(java.util.List.of(), schema);
        }
        long v = version(spark, path);
        ctx.read(name, v);
        Dataset<Row> cached = ReadCache.get(spark, name, path, v);
        return cached != null ? cached : spark.read().format("delta").load(path);
    }

    /** A table's own current rows, bookkeeping columns included (a job reading back what it published). */
    public static Dataset<Row> current(SparkSession spark, JobContext ctx, String name, String path) {
        ctx.read(name, version(spark, path));
        return spark.read().format("delta").load(path);
    }

    /** Columns every gold row carries besides its figures (SPEC §3) and the partition column of period tables. */
    public static final String AS_OF = "as_of";
    public static final String RUN_ID = "run_id";
    public static final String PERIOD_MONTH = "period_month";

    /**
     * The current rows of a gold table another job writes, without the bookkeeping columns; or a
     * one-line error telling the user which job to run first. The producer's last successful run must
     * be at this run's as_of, so no job mixes figures of two cut-offs.
     */
    public static Dataset<Row> gold(SparkSession spark, JobContext ctx, String table, String producer) {
        String path = ctx.lake().gold(table);
        String hint = ": run qlake batch " + producer + " --as-of " + ctx.asOf() + " first";
        if (!exists(spark, path)) {
            throw new io.qualitylake.cli.UserError("gold." + table + " does not exist" + hint);
        }
        PastRun last = RunLog.lastSucceeded(spark, ctx.lake(), producer);
        if (last != null && last.asOf() != null && !last.asOf().equals(ctx.asOf())) {
            throw new io.qualitylake.cli.UserError("gold." + table + " is at as_of " + last.asOf() + hint);
        }
        ctx.read("gold." + table, version(spark, path));
        return spark.read().format("delta").load(path).drop(AS_OF, RUN_ID, PERIOD_MONTH);
    }

    /** The table's latest version, from its log (a listing and a small read: no Spark job). */
    public static long version(SparkSession spark, String path) {
        return Delta.version(spark, path);
    }

    /** The table's properties (TBLPROPERTIES) at its latest version. */
    public static java.util.Map<String, String> properties(SparkSession spark, String path) {
        return Delta.properties(spark, path);
    }

    /** Records the latest commit of a table this job maintains outside the gold writers (e.g. a summary store). */
    public static void recordWrite(SparkSession spark, JobContext ctx, String name, String path) {
        recordCommit(spark, ctx, name, path);
    }

    /** Same column names and types in the same order (nullability aside: Delta stores every column nullable). */
    private static boolean sameColumns(StructType a, StructType b) {
        if (a.fields().length != b.fields().length) {
            return false;
        }
        for (int i = 0; i < a.fields().length; i++) {
            if (!a.fields()[i].name().equals(b.fields()[i].name()) || !a.fields()[i].dataType().sameType(b.fields()[i].dataType())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Version and rows written of the latest commit, from Delta's own commit metrics (no second pass):
     * a MERGE's inserted and updated rows, a write's output rows.
     */
    private static void recordCommit(SparkSession spark, JobContext ctx, String name, String path) {
        Delta.Commit last = Delta.history(spark, path, 1).get(0);
        java.util.Map<String, String> m = last.metrics();
        long rows = m.containsKey("numTargetRowsInserted")
                ? Long.parseLong(m.get("numTargetRowsInserted")) + Long.parseLong(m.getOrDefault("numTargetRowsUpdated", "0"))
                : Long.parseLong(m.getOrDefault("numOutputRows", "0"));
        ctx.wrote(name, last.version(), rows);
    }

    /**
     * Publishes a gold table without periods (one row per key): when the run's scope is not empty, the
     * rows replace the whole table in one Delta transaction, each with as_of and run_id.
     */
    public static void replaceTable(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows) {
        if (ctx.scope() != null && ctx.scope().isEmpty()) {
            return;
        }
        stamped(ctx, rows).write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(path);
        recordCommit(spark, ctx, name, path);
    }

    /** Kept for jobs written against the earlier name: same as {@link #replaceTable}. */
    public static void replaceSlice(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows) {
        replaceTable(spark, ctx, name, path, rows);
    }

    /**
     * Publishes a gold table with periods: the rows of the months in the run's scope (by
     * {@code month}, a yyyy-MM column) replace exactly those months' rows in one Delta transaction
     * (partition {@code period_month}), each with as_of and run_id; other months keep their rows.
     * A full scope replaces the table. Rows outside the scope are not written.
     */
    public static void replaceMonths(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows,
                                     org.apache.spark.sql.Column month) {
        replaceMonths(spark, ctx, name, path, rows, month, ctx.scope());
    }

    /** As above with a scope of its own (e.g. wider than the run's, for rows that depend on earlier months). */
    public static void replaceMonths(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows,
                                     org.apache.spark.sql.Column month, Scope scope) {
        if (scope.isEmpty()) {
            return;
        }
        Dataset<Row> out = stamped(ctx, rows.withColumn(PERIOD_MONTH, month)).filter(scope.covers(functions.col(PERIOD_MONTH)));
        if (scope.isAll() || !exists(spark, path)) {
            out.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
                    .partitionBy(PERIOD_MONTH).save(path);
        } else {
            String in = scope.months().stream().map(m -> "'" + m + "'").collect(java.util.stream.Collectors.joining(","));
            out.write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", PERIOD_MONTH + " IN (" + in + ")").save(path);
        }
        recordCommit(spark, ctx, name, path);
    }

    /** The month of a {@code period} column holding yyyy-MM or yyyy-MM-dd. */
    public static org.apache.spark.sql.Column monthOfPeriod(String period) {
        return functions.substring(functions.col(period), 1, 7);
    }

    private static Dataset<Row> stamped(JobContext ctx, Dataset<Row> rows) {
        return rows.withColumn(AS_OF, functions.lit(java.sql.Date.valueOf(ctx.asOf())))
                .withColumn(RUN_ID, functions.lit(ctx.runId()));
    }

    /**
     * Replaces a whole table (dimensions) in one transaction — unless it already holds exactly these
     * rows: then nothing is written, so reloading unchanged reference files does not make every gold
     * job downstream recompute everything.
     */
    public static void overwrite(SparkSession spark, JobContext ctx, String name, String path, Dataset<Row> rows) {
        if (exists(spark, path)) {
            Dataset<Row> old = spark.read().format("delta").load(path);
            if (sameColumns(old.schema(), rows.schema()) && old.exceptAll(rows).isEmpty() && rows.exceptAll(old).isEmpty()) {
                ctx.wrote(name, version(spark, path), 0);
                return;
            }
        }
        rows.write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true").save(path);
        recordCommit(spark, ctx, name, path);
    }
}
