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
        Dataset<Row> runs = spark.read().format("delta").load(path);
        List<String> columns = Arrays.asList(runs.columns());
        List<Row> last = runs.filter(col("job").equalTo(job).and(col("status").equalTo("SUCCEEDED")))
                .orderBy(col("finished_at").desc()).limit(1)
                .select(col("run_id"), col("as_of"), columns.contains("options") ? col("options") : org.apache.spark.sql.functions.lit(null).cast("string"),
                        col("versions_read"), col("versions_written"))
                .collectAsList();
        if (last.isEmpty()) {
            return null;
        }
        Row r = last.get(0);
        return new PastRun(r.getString(0), r.isNullAt(1) ? null : r.getDate(1).toLocalDate(), r.getString(2),
                r.isNullAt(3) ? Map.of() : r.getJavaMap(3), r.isNullAt(4) ? Map.of() : r.getJavaMap(4));
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
