package io.qualitylake.batch.job;

import static org.apache.spark.sql.functions.col;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads ops.job_runs: the last successful run of a job, which an incremental run starts from. */
public final class RunLog {
    private RunLog() {}

    public static PastRun lastSucceeded(SparkSession spark, Lake lake, String job) {
        String path = lake.ops("job_runs");
        if (!Tables.exists(spark, path)) {
            return null;
        }
        return RunMemo.lastRun(path, job, () -> lastSucceededOfEachJob(spark, path));
    }

    /** Every job's last successful run, in one query (a batch all asks for each job's, and the producers'). */
    private static Map<String, PastRun> lastSucceededOfEachJob(SparkSession spark, String path) {
        Dataset<Row> runs = spark.read().format("delta").load(path);
        List<String> columns = Arrays.asList(runs.columns());
        List<Row> last = runs.filter(col("status").equalTo("SUCCEEDED"))
                .withColumn("nth", org.apache.spark.sql.functions.row_number().over(
                        org.apache.spark.sql.expressions.Window.partitionBy("job").orderBy(col("finished_at").desc())))
                .filter(col("nth").equalTo(1))
                .select(col("job"), col("run_id"), col("as_of"),
                        columns.contains("options") ? col("options") : org.apache.spark.sql.functions.lit(null).cast("string"),
                        col("versions_read"), col("versions_written"))
                .collectAsList();
        Map<String, PastRun> out = new java.util.HashMap<>();
        for (Row r : last) {
            out.put(r.getString(0), new PastRun(r.getString(1), r.isNullAt(2) ? null : r.getDate(2).toLocalDate(), r.getString(3),
                    r.isNullAt(4) ? Map.of() : r.getJavaMap(4), r.isNullAt(5) ? Map.of() : r.getJavaMap(5)));
        }
        return out;
    }

    /** One run by id (for --at-run), or null. */
    public static Row byId(SparkSession spark, Lake lake, String runId) {
        String path = lake.ops("job_runs");
        if (!Tables.exists(spark, path)) {
            return null;
        }
        List<Row> rows = spark.read().format("delta").load(path).filter(col("run_id").equalTo(runId)).limit(1).collectAsList();
        return rows.isEmpty() ? null : rows.get(0);
    }
}
