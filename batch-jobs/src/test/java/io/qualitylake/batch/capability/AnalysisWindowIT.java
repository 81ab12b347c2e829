package io.qualitylake.batch.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.maintain.GoldDiff;
import io.qualitylake.batch.reference.ReferenceJob;
import io.qualitylake.batch.silver.SilverJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A daily capability run that analyses settled characteristics from a window of their subgroups
 * ({@link AnalysisWindow}) publishes the same process_capability, control_limits and spc_violations
 * as a from-scratch run at the same as_of on a second lake (the oracle: the whole-history analysis,
 * which the first round checked against published references). One characteristic has no subgroups
 * in February, so the March daily has no context for it and must analyse its whole history beside
 * the windowed ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalysisWindowIT {
    private static final SparkSession SPARK = BatchTestSupport.spark();
    /** 2 plants × 70 days from 1 Jan: the baseline (25 subgroups at 2 a day) ends in January. */
    private static final SimulationConfig WORLD = new SimulationConfig(11, 2, 70, LocalDate.of(2026, 1, 1), 12, 2,
            0.0, 0.0, 0.0, 0.0);
    private static final List<String> TABLES = List.of("process_capability", "control_limits", "spc_violations");
    private static final Pattern DAY = Pattern.compile("\"event_time\"\\s*:\\s*\"(\\d{4}-\\d{2}-\\d{2})");
    private static final Pattern CHARACTERISTIC = Pattern.compile("\"characteristic_id\"\\s*:\\s*\"([^\"]+)\"");

    private Path daily;
    private Path full;
    private String gap;
    private JobContext windowedRun;

    @BeforeAll
    void build() throws Exception {
        List<byte[]> records = BatchTestSupport.simulate(WORLD).records();
        LocalDate lastDay = WORLD.end().minusDays(1);
        gap = records.stream().map(AnalysisWindowIT::characteristic).filter(c -> c != null && c.startsWith("P01-L1-"))
                .findFirst().orElseThrow();
        List<byte[]> history = new ArrayList<>();
        List<byte[]> lastDayRecords = new ArrayList<>();
        for (byte[] r : records) {
            LocalDate d = day(r);
            if (d != null && d.getMonthValue() == 2 && gap.equals(characteristic(r))) {
                continue; // no February subgroups for this one characteristic, in both lakes
            }
            (lastDay.equals(d) ? lastDayRecords : history).add(r);
        }
        assertFalse(lastDayRecords.isEmpty());
        Path ref = BatchTestSupport.writeReference(WORLD, Files.createTempDirectory("qlake-window-ref"));

        daily = Files.createTempDirectory("qlake-window-daily");
        BatchTestSupport.run(SPARK, new ReferenceJob(), daily, null, ref.toString());
        BatchTestSupport.writeBronze(SPARK, daily, history);
        BatchTestSupport.run(SPARK, new SilverJob(), daily, null, null);
        BatchTestSupport.run(SPARK, new CapabilityJob(), daily, lastDay.minusDays(1), null);
        BatchTestSupport.writeBronze(SPARK, daily, lastDayRecords);
        BatchTestSupport.run(SPARK, new SilverJob(), daily, null, null);
        windowedRun = BatchTestSupport.run(SPARK, new CapabilityJob(), daily, lastDay, null);

        full = Files.createTempDirectory("qlake-window-full");
        BatchTestSupport.run(SPARK, new ReferenceJob(), full, null, ref.toString());
        List<byte[]> all = new ArrayList<>(history);
        all.addAll(lastDayRecords);
        BatchTestSupport.writeBronze(SPARK, full, all);
        BatchTestSupport.run(SPARK, new SilverJob(), full, null, null);
        BatchTestSupport.run(SPARK, new CapabilityJob(), full, lastDay, null);
    }

    @Test
    void theDailyRunUsedTheWindowForAllButTheCharacteristicWithoutContext() {
        assertFalse(windowedRun.scope().isAll(), windowedRun.scope().describe());
        assertEquals(List.of("2026-03"), List.copyOf(windowedRun.scope().months()));
        String note = windowedRun.notes().get("capability_window");
        // 2 plants x 2 lines x the simulator's characteristics per line; exactly one without February subgroups
        long characteristics = BatchTestSupport.table(SPARK, full, "gold.control_limits").count();
        assertEquals((characteristics - 1) + " characteristic(s) from their baseline and 2026-02 on, 1 from their whole history",
                note);
    }

    @Test
    void capabilityLimitsAndViolationsEqualAFromScratchRun() {
        for (String t : TABLES) {
            List<List<Object>> a = GoldDiff.rows(BatchTestSupport.table(SPARK, daily, "gold." + t));
            List<List<Object>> b = GoldDiff.rows(BatchTestSupport.table(SPARK, full, "gold." + t));
            assertEquals(b.size(), a.size(), "gold." + t + " row count");
            for (int i = 0; i < a.size(); i++) {
                GoldDiff.difference(b.get(i), a.get(i), "gold." + t + " row " + i).ifPresent(org.junit.jupiter.api.Assertions::fail);
            }
        }
        // the limits row's whole-history counts are put back, not the window's
        assertTrue(BatchTestSupport.table(SPARK, daily, "gold.control_limits").filter("monitored_subgroups > 100").count() > 0);
        assertTrue(BatchTestSupport.table(SPARK, daily, "gold.spc_violations").filter("subgroup_time >= TIMESTAMP'2026-03-01 00:00:00'")
                .count() > 0, "March has violations, so the window's flags are compared");
    }

    private static LocalDate day(byte[] r) {
        Matcher m = DAY.matcher(new String(r, StandardCharsets.UTF_8));
        return m.find() ? LocalDate.parse(m.group(1)) : null;
    }

    private static String characteristic(byte[] r) {
        Matcher m = CHARACTERISTIC.matcher(new String(r, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : null;
    }
}
