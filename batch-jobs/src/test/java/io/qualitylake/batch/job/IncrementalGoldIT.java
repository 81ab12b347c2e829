package io.qualitylake.batch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.benchmarks.BenchmarksJob;
import io.qualitylake.batch.capability.CapabilityJob;
import io.qualitylake.batch.grading.GradingJob;
import io.qualitylake.batch.maintain.GoldDiff;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.quality.QualityJob;
import io.qualitylake.batch.reference.ReferenceJob;
import io.qualitylake.batch.reliability.ReliabilityJob;
import io.qualitylake.batch.silver.SilverJob;
import io.qualitylake.batch.suppliers.SuppliersJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SPEC §3 "Gold semantics": a lake built in daily increments — with late events that restate an old
 * month, duplicates delivered again on later days, and field failures of units built months earlier —
 * ends with every gold table equal, row for row, to a from-scratch computation at the same as_of on a
 * second lake. The oracle is the full recomputation (the code path every gold job had before it was
 * incremental: no previous run, scope ALL), not the incremental logic under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncrementalGoldIT {
    private static final SparkSession SPARK = BatchTestSupport.spark();
    /** 2 plants × 70 days from 1 Jan: three months, measurements, installs and field failures. */
    private static final SimulationConfig WORLD = new SimulationConfig(11, 2, 70, LocalDate.of(2026, 1, 1), 12, 2,
            0.0, 0.0, 0.02, 0.0);
    private static final List<BatchJob> GOLD = List.of(new ReliabilityJob(), new QualityJob(), new CapabilityJob(),
            new GradingJob(), new BenchmarksJob(), new SuppliersJob());
    private static final List<String> TABLES = List.of("reliability_summary", "reliability_weibull", "reliability_km",
            "warranty_mis", "warranty_forecast", "reliability_mcf", "reliability_growth", "quality_kpis", "defect_pareto",
            "process_capability", "control_limits", "spc_violations",
            "line_grades", "enterprise_capability", "plant_benchmarks", "cluster_rankings", "suspect_lots", "supplier_scorecards");
    /** Every gold table the gold jobs declare is compared (a new gold table must be added to TABLES). */
    @Test
    void everyDeclaredGoldTableIsCompared() {
        java.util.Set<String> declared = new java.util.TreeSet<>();
        GOLD.forEach(j -> j.outputs().stream().filter(t -> t.startsWith("gold.")).map(t -> t.substring(5)).forEach(declared::add));
        assertEquals(declared, new java.util.TreeSet<>(TABLES));
    }

    private static final Pattern DAY = Pattern.compile("\"event_time\"\\s*:\\s*\"(\\d{4}-\\d{2}-\\d{2})");

    private Path incremental;
    private Path full;
    private LocalDate lastDay;
    private final Map<String, Long> versionsAfterLastRun = new LinkedHashMap<>();
    private final List<Scope> scopes = new ArrayList<>();

    @BeforeAll
    void build() throws Exception {
        BatchTestSupport.Simulated sim = BatchTestSupport.simulate(WORLD);
        List<byte[]> records = sim.records();
        Path ref = BatchTestSupport.writeReference(WORLD, Files.createTempDirectory("qlake-inc-ref"));
        lastDay = WORLD.end().minusDays(1);
        LocalDate[] cuts = {lastDay.minusDays(2), lastDay.minusDays(1), lastDay};

        // arrival order is list order; a record arrives on the day of the latest event seen so far
        List<List<byte[]>> days = new ArrayList<>();
        for (int i = 0; i < cuts.length; i++) {
            days.add(new ArrayList<>());
        }
        List<byte[]> held = new ArrayList<>(); // January production held back: late data that restates January
        LocalDate seen = LocalDate.MIN;
        int heldBack = 0;
        for (byte[] r : records) {
            LocalDate d = day(r);
            seen = d != null && d.isAfter(seen) ? d : seen;
            if (d != null && d.getMonthValue() == 1 && heldBack < 40 && heldBack++ % 2 == 0) {
                held.add(r);
                continue;
            }
            int i = 0;
            while (i < cuts.length - 1 && seen.isAfter(cuts[i])) {
                i++;
            }
            days.get(i).add(r);
        }
        days.get(cuts.length - 1).addAll(held);
        // duplicates across days: part of the first daily increment is delivered again on the next day
        days.get(2).addAll(days.get(1).subList(0, Math.min(200, days.get(1).size())));
        assertTrue(records.stream().anyMatch(r -> r.length > 0 && new String(r, StandardCharsets.UTF_8).contains("FIELD_FAILURE")));

        incremental = Files.createTempDirectory("qlake-inc");
        full = Files.createTempDirectory("qlake-full");
        BatchTestSupport.run(SPARK, new ReferenceJob(), incremental, null, ref.toString());
        BatchTestSupport.run(SPARK, new ReferenceJob(), full, null, ref.toString());
        for (int i = 0; i < cuts.length; i++) {
            BatchTestSupport.writeBronze(SPARK, incremental, days.get(i));
            runAll(incremental, cuts[i], i == 1);
        }
        for (String t : TABLES) {
            versionsAfterLastRun.put(t, Tables.version(SPARK, Lake.at(incremental.toString()).gold(t)));
        }
        List<byte[]> everything = new ArrayList<>();
        days.forEach(everything::addAll);
        BatchTestSupport.writeBronze(SPARK, full, everything);
        runAll(full, lastDay);
    }

    private void runAll(Path lake, LocalDate asOf) throws Exception {
        runAll(lake, asOf, false);
    }

    /** With {@code kill}, each job first dies after its first write ({@link #killAfterFirstWrite}), then runs again. */
    private void runAll(Path lake, LocalDate asOf, boolean kill) throws Exception {
        // the incremental lake runs as `batch all` does, with the run's read cache and memo; the full lake without
        try (io.qualitylake.batch.lake.ReadCache cache = lake.equals(incremental)
                ? io.qualitylake.batch.lake.ReadCache.open(io.qualitylake.batch.BatchCommand.SHARED_READS) : null;
             RunMemo memo = lake.equals(incremental) ? RunMemo.open() : null) {
            runJobs(lake, asOf, kill);
        }
    }

    private void runJobs(Path lake, LocalDate asOf, boolean kill) throws Exception {
        if (kill) {
            killAfterFirstWrite(new SilverJob(), lake, null);
        }
        BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        for (BatchJob job : GOLD) {
            if (kill) {
                killAfterFirstWrite(job, lake, asOf);
            }
            JobContext ctx = BatchTestSupport.run(SPARK, job, lake, asOf, null);
            if (lake.equals(incremental)) {
                scopes.add(ctx.scope());
            }
        }
    }

    /**
     * A run killed between two commits: the job dies right after its first table write (silver after
     * its first MERGE, before its stream checkpoint), leaving a FAILED run and a half-updated set of
     * tables; the next run must redo that work, and the final tables must still equal a full
     * recomputation.
     */
    private static void killAfterFirstWrite(BatchJob job, Path lake, LocalDate asOf) {
        JobContext ctx = new JobContext(Lake.at(lake.toString()), asOf, null, Map.of());
        ctx.failAfterWrites(1);
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> new JobRunner(SPARK).run(job, ctx, job.name()), job.name() + " dies after its first write");
        String chain = e + " " + e.getCause();
        assertTrue(chain.contains("injected failure"), job.name() + ": " + chain);
    }

    private static LocalDate day(byte[] r) {
        Matcher m = DAY.matcher(new String(r, StandardCharsets.UTF_8));
        return m.find() ? LocalDate.parse(m.group(1)) : null;
    }

    @Test
    void everyGoldTableEqualsAFullRecomputation() {
        for (String t : TABLES) {
            List<List<Object>> a = rows(incremental, t);
            List<List<Object>> b = rows(full, t);
            assertEquals(b.size(), a.size(), "gold." + t + " row count");
            for (int i = 0; i < a.size(); i++) {
                assertSame(b.get(i), a.get(i), "gold." + t + " row " + i);
            }
        }
    }

    @Test
    void dailyRunsRecomputeOnlyChangedMonthsAndTheLateDataRestatesJanuary() {
        // quality runs once per increment (index 1 of each group of 6): the first builds all, later ones months
        List<Scope> quality = new ArrayList<>();
        for (int i = 1; i < scopes.size(); i += GOLD.size()) {
            quality.add(scopes.get(i));
        }
        assertTrue(quality.get(0).isAll(), quality.get(0).describe());
        assertTrue(!quality.get(1).isAll() && quality.get(1).months().contains("2026-03"), quality.get(1).describe());
        assertTrue(quality.get(2).months().contains("2026-01"), "held-back January events restate January: " + quality.get(2).describe());
    }

    @Test
    void aRerunForTheSameAsOfChangesNothing() throws Exception {
        runAll(incremental, lastDay);
        for (String t : TABLES) {
            assertEquals(versionsAfterLastRun.get(t), Tables.version(SPARK, Lake.at(incremental.toString()).gold(t)),
                    "gold." + t + " got a new version from a rerun");
        }
        assertTrue(scopes.get(scopes.size() - 1).isEmpty(), scopes.get(scopes.size() - 1).describe());
    }

    @Test
    void atRunReadsTheLakeAsThatRunLeftIt() throws Exception {
        Lake lake = Lake.at(incremental.toString());
        Row first = BatchTestSupport.table(SPARK, incremental, "ops.job_runs").filter("job = 'quality' AND status = 'SUCCEEDED'")
                .orderBy("started_at").first();
        String lastPeriod = lastDay.toString();
        var registered = io.qualitylake.batch.sql.LakeCatalog.register(SPARK, lake);
        try {
            var pinned = io.qualitylake.batch.sql.LakeCatalog.pinToRun(SPARK, lake, registered, first.getAs("run_id"));
            // a table the run did not write is read at its last version committed by the run's end; the
            // oracle is Delta's own history DataFrame (the catalogue reads the commit files itself)
            Long expected = io.delta.tables.DeltaTable.forPath(SPARK, lake.silver("production_units")).history()
                    .filter(org.apache.spark.sql.functions.col("timestamp").leq(first.getTimestamp(first.fieldIndex("finished_at"))))
                    .agg(org.apache.spark.sql.functions.max("version")).first().getAs(0);
            assertEquals("delta@v" + expected, pinned.stream().filter(r -> r.name().equals("silver.production_units"))
                    .findFirst().orElseThrow().format());
            // the first run's cut-off was two days before the last day: no rows of that day yet
            assertEquals(0L, SPARK.sql("SELECT count(*) FROM gold.quality_kpis WHERE period = '" + lastPeriod + "'").first().getLong(0));
        } finally {
            io.qualitylake.batch.sql.LakeCatalog.register(SPARK, lake);
        }
        assertTrue(SPARK.sql("SELECT count(*) FROM gold.quality_kpis WHERE period = '" + lastPeriod + "'").first().getLong(0) > 0);
    }

    /** The rows without bookkeeping columns, each as a list of values, sorted ({@link GoldDiff}, shared with qlake fault-test). */
    private static List<List<Object>> rows(Path lake, String table) {
        return GoldDiff.rows(BatchTestSupport.table(SPARK, lake, "gold." + table));
    }

    /** Equal values; doubles within 1e-9 relative (sums in another order differ in the last bits). */
    private static void assertSame(Object expected, Object actual, String where) {
        GoldDiff.difference(expected, actual, where).ifPresent(org.junit.jupiter.api.Assertions::fail);
    }
}
