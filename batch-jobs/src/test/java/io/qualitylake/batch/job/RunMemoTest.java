package io.qualitylake.batch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch all keeps the run log's answers for the run: each job's last successful run, as the runner
 * records runs, must be what a fresh read of ops.job_runs gives (the oracle: the same question with
 * no memo open, answered by a query).
 */
class RunMemoTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @TempDir
    Path tmp;

    /** A job that reads one version of a table and optionally fails. */
    record Job(String name, boolean fails) implements BatchJob {
        @Override
        public String fingerprint(JobContext ctx) {
            return "k=" + name.length();
        }

        @Override
        public void run(SparkSession spark, JobContext ctx) {
            ctx.read("silver.things", 7);
            if (fails) {
                throw new IllegalStateException("planned failure");
            }
        }
    }

    @Test
    void theLastRunOfEachJobIsWhatTheRunLogSaysAfterEveryRecordedRun() throws Exception {
        Lake lake = Lake.at(tmp.resolve("lake").toString());
        JobRunner runner = new JobRunner(SPARK);
        LocalDate day = LocalDate.parse("2026-03-01");
        runner.run(new Job("first", false), new JobContext(lake, day, null, Map.of()), ""); // the log exists before the memo
        try (RunMemo memo = RunMemo.open()) {
            assertEquals(fresh(lake, "first"), RunLog.lastSucceeded(SPARK, lake, "first"));
            assertNull(RunLog.lastSucceeded(SPARK, lake, "second"));
            runner.run(new Job("second", false), new JobContext(lake, day.plusDays(1), null, Map.of()), "");
            assertThrows(IllegalStateException.class,
                    () -> runner.run(new Job("first", true), new JobContext(lake, day.plusDays(2), null, Map.of()), ""));
            runner.run(new Job("first", false), new JobContext(lake, day.plusDays(3), null, Map.of()), "");
            for (String job : new String[] {"first", "second"}) {
                PastRun kept = RunLog.lastSucceeded(SPARK, lake, job);
                assertEquals(fresh(lake, job), kept, job);
            }
            assertEquals(day.plusDays(3), RunLog.lastSucceeded(SPARK, lake, "first").asOf(), "the failed run is not the last");
        }
    }

    @Test
    void anAnswerIsComputedOncePerRunAndAgainInTheNext() {
        AtomicInteger asked = new AtomicInteger();
        java.util.List<Object> key = java.util.List.of("months", "/lake/silver/x", -1L, 4L);
        try (RunMemo memo = RunMemo.open()) {
            assertEquals(1, (int) RunMemo.<Integer>answer(key, asked::incrementAndGet));
            assertEquals(1, (int) RunMemo.<Integer>answer(key, asked::incrementAndGet));
            assertEquals(2, (int) RunMemo.<Integer>answer(java.util.List.of("months", "/lake/silver/x", -1L, 5L), asked::incrementAndGet));
        }
        try (RunMemo memo = RunMemo.open()) {
            assertEquals(3, (int) RunMemo.<Integer>answer(key, asked::incrementAndGet));
        }
        assertEquals(4, (int) RunMemo.<Integer>answer(key, asked::incrementAndGet), "no memo open: asked every time");
    }

    /** The oracle: the job's latest SUCCEEDED row of ops.job_runs, read with a query of its own. */
    private static PastRun fresh(Lake lake, String job) {
        java.util.List<org.apache.spark.sql.Row> rows = SPARK.read().format("delta").load(lake.ops("job_runs"))
                .filter("job = '" + job + "' AND status = 'SUCCEEDED'").orderBy(org.apache.spark.sql.functions.col("finished_at").desc())
                .limit(1).collectAsList();
        org.apache.spark.sql.Row r = rows.get(0);
        return new PastRun(r.getAs("run_id"), ((java.sql.Date) r.getAs("as_of")).toLocalDate(), r.getAs("options"),
                r.getJavaMap(r.fieldIndex("versions_read")), r.getJavaMap(r.fieldIndex("versions_written")));
    }
}
