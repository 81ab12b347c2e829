package io.qualitylake.batch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Delta;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ops.job_runs stays a few files however many runs it records, and compaction loses no run. */
class RunLogCompactionTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @TempDir
    Path tmp;

    /** A job that only records its run. */
    record Noop(String name) implements BatchJob {
        @Override
        public void run(SparkSession spark, JobContext ctx) {}
    }

    @Test
    void runLogIsCompactedAndKeepsEveryRun() throws Exception {
        Lake lake = Lake.at(tmp.resolve("lake").toString());
        JobRunner runner = new JobRunner(SPARK, 3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            JobContext ctx = runner.run(new Noop(i % 2 == 0 ? "even" : "odd"),
                    new JobContext(lake, LocalDate.parse("2026-03-01").plusDays(i), null, Map.of()), "");
            ids.add(ctx.runId());
            assertTrue(Delta.files(SPARK, lake.ops("job_runs")) < 3, "files after run " + i);
        }
        assertEquals(6, SPARK.read().format("delta").load(lake.ops("job_runs")).count());
        assertEquals(ids.get(4), RunLog.lastSucceeded(SPARK, lake, "even").runId());
        assertEquals(ids.get(5), RunLog.lastSucceeded(SPARK, lake, "odd").runId());
        assertEquals(LocalDate.parse("2026-03-05"), RunLog.lastSucceeded(SPARK, lake, "even").asOf());
    }
}
