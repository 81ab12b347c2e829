package io.qualitylake.batch.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.JobRunner;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.sql.LakeCatalog;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VACUUM with a run-based retention: the versions of the kept runs stay readable, older files go. */
class VacuumJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @TempDir
    Path dir;

    /** A job that replaces gold.{@code table} with {@code n} rows, as a gold job replaces a table. */
    private static final class Writes implements BatchJob {
        private final String job;
        private final String table;
        private final int n;

        Writes(int n) {
            this("writes", "small", n);
        }

        Writes(String job, String table, int n) {
            this.job = job;
            this.table = table;
            this.n = n;
        }

        @Override
        public String name() {
            return job;
        }

        @Override
        public java.util.List<String> outputs() {
            return java.util.List.of("gold." + table);
        }

        @Override
        public void run(SparkSession spark, JobContext ctx) {
            Tables.replaceTable(spark, ctx, "gold." + table, ctx.lake().gold(table), spark.range(n).toDF("id"));
        }
    }

    private JobContext run(BatchJob job, Map<String, String> options) throws Exception {
        JobContext ctx = new JobContext(Lake.at(dir.toString()), LocalDate.parse("2026-03-01"), null, options);
        return new JobRunner(SPARK).run(job, ctx, job.name());
    }

    private long parquetFiles() throws java.io.IOException {
        try (var files = Files.walk(dir.resolve("gold/small"))) {
            return files.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    /** The rows of a version, read from its files (a count() could be answered from the log's statistics alone). */
    private static int rows(String path, long version) {
        return SPARK.read().format("delta").option("versionAsOf", version).load(path).collectAsList().size();
    }

    /**
     * A run-based retention keeps every version since the kept run started, and Delta counts retention in
     * whole hours: at the scale of seconds nothing may go. Every version reads its rows from its files.
     */
    @Test
    void aRunBasedRetentionKeepsTheKeptRunsVersionsReadable() throws Exception {
        for (int n : new int[] {3, 4, 5}) {
            run(new Writes(n), Map.of()); // seconds apart: within the whole hour Delta counts retention in
        }
        String path = Lake.at(dir.toString()).gold("small");
        long filesBefore = parquetFiles();
        JobContext v = run(new VacuumJob(), Map.of(VacuumJob.KEEP_RUNS_OPTION, "1"));
        assertTrue(v.notes().get("vacuum").contains("retained 1 h of versions (the last 1 runs"), v.notes().toString());
        // before the retention was rounded up to whole hours, Delta rounded 0.001 h to 0 and deleted the files of
        // the version the kept run replaced (and a count() from log statistics hid it)
        assertEquals(4, rows(path, 1));
        assertEquals(5, rows(path, 2));
        assertEquals(filesBefore, parquetFiles());
    }

    /** With no retention, only the latest version's files stay; older versions fail to read. */
    @Test
    void aZeroRetentionDeletesTheFilesOfEveryOlderVersion() throws Exception {
        for (int n : new int[] {3, 4, 5}) {
            run(new Writes(n), Map.of());
        }
        String path = Lake.at(dir.toString()).gold("small");
        long filesBefore = parquetFiles();
        JobContext v = run(new VacuumJob(), Map.of(VacuumJob.RETAIN_HOURS_OPTION, "0"));
        assertTrue(v.notes().get("vacuum").contains("retained 0 h of versions"), v.notes().toString());
        assertEquals(5, SPARK.read().format("delta").load(path).collectAsList().size());
        assertTrue(parquetFiles() < filesBefore, parquetFiles() + " of " + filesBefore);
        assertThrows(Exception.class, () -> rows(path, 0));
        assertThrows(Exception.class, () -> rows(path, 1));
    }

    /**
     * A job run once before the daily ones (as reference in a full build) keeps the versions of the
     * tables it writes, not every version of every other table written since: each table's retention
     * reaches back to its own writer's kept run, so storage stays bounded however rarely some job runs.
     */
    @Test
    void aRarelyRunJobDoesNotKeepOtherTablesVersions() throws Exception {
        run(new Writes("rare", "rare", 2), Map.of()); // as reference writes the dimensions once in a long while
        for (int n : new int[] {3, 4, 5}) {
            run(new Writes(n), Map.of());
        }
        Map<String, java.time.Instant> cuts = VacuumJob.cutsPerTable(SPARK, Lake.at(dir.toString()), 1);
        Map<String, java.time.Instant> started = new java.util.HashMap<>();
        for (org.apache.spark.sql.Row r : BatchTestSupport.table(SPARK, dir, "ops.job_runs").collectAsList()) {
            String table = r.getString(r.fieldIndex("job")).equals("rare") ? "gold.rare" : "gold.small";
            java.time.Instant s = r.getTimestamp(r.fieldIndex("started_at")).toInstant();
            started.merge(table, s, (x, y) -> x.isAfter(y) ? x : y); // the latest run of each writer
        }
        assertEquals(started, cuts);
        run(new VacuumJob(), Map.of(VacuumJob.KEEP_RUNS_OPTION, "1"));
        assertEquals(5, rows(Lake.at(dir.toString()).gold("small"), 2));
        assertEquals(2, rows(Lake.at(dir.toString()).gold("rare"), 0));
    }

    /** Delta rounds a retention to the nearest whole hour (math.round in its VacuumCommand): ours never rounds down. */
    @Test
    void theRetentionGivenToDeltaKeepsAtLeastTheHoursAsked() {
        for (double h : new double[] {0, 0.0004, 0.6, 23.2, 24, 24.5, 167.99}) {
            double given = VacuumJob.wholeHoursKeeping(h);
            assertEquals(given, Math.rint(given), "whole hours: " + given);
            assertTrue(Math.round(given) >= h && Math.round(given) < h + 1, h + " -> " + given);
        }
        assertEquals(0, VacuumJob.wholeHoursKeeping(0));
        assertEquals(24, VacuumJob.wholeHoursKeeping(23.2));
    }

    /**
     * {@code qlake sql --at-run} of a run whose files a vacuum deleted is refused in one line before any query
     * runs (it failed half-way with Spark's missing-file error); a run whose version is kept reads as it left the
     * table. The oracle is the row count each run wrote (3, 4, 5 rows).
     */
    @Test
    void atRunOfAVacuumedRunIsOneLineAndKeptRunsStillRead() throws Exception {
        java.util.List<String> runs = new java.util.ArrayList<>();
        for (int n : new int[] {3, 4, 5}) {
            runs.add(run(new Writes(n), Map.of()).runId());
        }
        Lake lake = Lake.at(dir.toString());
        var registered = LakeCatalog.register(SPARK, lake, name -> name.equals("gold.small"));
        try {
            run(new VacuumJob(), Map.of(VacuumJob.KEEP_RUNS_OPTION, "1")); // at this scale: keeps every version
            for (int i = 0; i < 3; i++) {
                LakeCatalog.pinToRun(SPARK, lake, registered, runs.get(i));
                assertEquals(3 + i, SPARK.table("gold.small").collectAsList().size());
            }
            run(new VacuumJob(), Map.of(VacuumJob.RETAIN_HOURS_OPTION, "0"));
            for (int i = 0; i < 2; i++) {
                String id = runs.get(i);
                UserError e = assertThrows(UserError.class, () -> LakeCatalog.pinToRun(SPARK, lake, registered, id));
                assertTrue(e.getMessage().startsWith("run " + id + " (writes, finished "), e.getMessage());
                assertTrue(e.getMessage().matches(".*gold\\.small as that run left it \\(version " + i
                        + "\\) has been vacuumed \\([1-9][0-9]* of its files (is|are) gone\\).*"), e.getMessage());
                assertTrue(e.getMessage().contains("--keep-runs"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
            LakeCatalog.pinToRun(SPARK, lake, registered, runs.get(2));
            assertEquals(5, SPARK.table("gold.small").collectAsList().size());
        } finally {
            if (SPARK.catalog().tableExists("gold.small")) { // the test's lake goes away: so must its name
                boolean view = "VIEW".equalsIgnoreCase(SPARK.catalog().getTable("gold.small").tableType());
                SPARK.sql((view ? "DROP VIEW " : "DROP TABLE ") + "gold.small");
            }
        }
    }

    /** A job that copies gold.small to gold.copy when gold.small changed (a wholesale input, as a dimension is). */
    private static final class Copies implements BatchJob {
        @Override
        public String name() {
            return "copies";
        }

        @Override
        public java.util.List<String> outputs() {
            return java.util.List.of("gold.copy");
        }

        @Override
        public void run(SparkSession spark, JobContext ctx) {
            ctx.scope(io.qualitylake.batch.job.Increments.decideWhole(spark, ctx,
                    java.util.List.of(io.qualitylake.batch.job.Increments.Input.wholesale("gold.small", ctx.lake().gold("small"))),
                    java.util.List.of(ctx.lake().gold("copy"))));
            if (!ctx.scope().isEmpty()) {
                Tables.replaceTable(spark, ctx, "gold.copy", ctx.lake().gold("copy"), spark.read().format("delta").load(ctx.lake().gold("small")));
            }
        }
    }

    /**
     * VACUUM adds START and END commits to every table it visits. They change no row, so the next
     * daily run must not take them for new data: before this was fixed, the daily run after a vacuum
     * recomputed every month of every job (measured at 22.7 M records: quality's scope became ALL,
     * "silver.dim_products changed") and rebuilt the per-unit store.
     */
    @Test
    void vacuumCommitsAreNotChanges() throws Exception {
        run(new Writes(3), Map.of());
        assertTrue(run(new Copies(), Map.of()).scope().isAll());
        assertTrue(run(new Copies(), Map.of()).scope().isEmpty(), "nothing new");
        run(new Writes(4), Map.of());
        assertTrue(run(new Copies(), Map.of()).scope().isAll(), "gold.small changed");

        String path = Lake.at(dir.toString()).gold("small");
        long before = Tables.version(SPARK, path);
        run(new VacuumJob(), Map.of(VacuumJob.KEEP_RUNS_OPTION, "1"));
        long after = Tables.version(SPARK, path);
        assertTrue(after > before, "VACUUM logged its commits (" + before + " -> " + after + "): the case this test is about");
        assertTrue(!io.qualitylake.batch.lake.Delta.dataChanged(SPARK, path, before, after));
        JobContext rerun = run(new Copies(), Map.of());
        assertTrue(rerun.scope().isEmpty(), rerun.scope().reason());

        run(new Writes(5), Map.of()); // a real change after the vacuum is still one
        assertTrue(io.qualitylake.batch.lake.Delta.dataChanged(SPARK, path, before, Tables.version(SPARK, path)));
        assertTrue(run(new Copies(), Map.of()).scope().isAll());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        UserError e = assertThrows(UserError.class,
                () -> VacuumJob.check(new JobContext(null, null, null, Map.of(VacuumJob.KEEP_RUNS_OPTION, "0"))));
        assertEquals("--keep-runs must be a whole number >= 1, got '0'", e.getMessage());
        assertThrows(UserError.class, () -> VacuumJob.check(new JobContext(null, null, null,
                Map.of(VacuumJob.KEEP_RUNS_OPTION, "2", VacuumJob.RETAIN_HOURS_OPTION, "3"))));
    }
}
