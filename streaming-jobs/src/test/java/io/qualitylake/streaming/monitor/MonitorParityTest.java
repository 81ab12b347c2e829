package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.spc.ControlChart;
import io.qualitylake.spc.SpcAnalysis;
import io.qualitylake.spc.Subgroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Batch/stream parity on hand-made sequences: for each Nelson rule, one characteristic whose 25
 * baseline values are followed by a pattern built to fire that rule exactly once. The batch side is
 * {@link SpcAnalysis} — the function the capability job's gold.spc_violations rows come from — over
 * the whole sequence; the stream side is the real {@link SpcMonitorFunction}, fed one measurement at a
 * time, self-starting its limits. Their (rule, subgroup) sets must be equal.
 */
class MonitorParityTest {
    static final long T0 = SpcMonitorFunctionTest.T0;

    /** Patterns in σ of a point after the baseline; each fires its rule once and no other. */
    static final double[][] PATTERNS = {
            {0.5, -0.5, 3.5, 0.2, -0.3},                                   // rule 1 at the 3.5
            {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5},           // rule 2 at the ninth
            {-1.0, -0.6, -0.2, 0.2, 0.6, 1.0, 0.1},                        // rule 3 at the sixth
            {0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, 0.5, -0.5, -0.6}, // rule 4 at the 14th
            {0, 2.5, 0, 2.5, 0},                                           // rule 5 at the second 2.5
            {1.5, 1.5, 0, 1.5, 1.5, 0},                                    // rule 6 at the fourth 1.5
    };

    /** A quiet baseline of single values 9, 11, 9, …: center (13·9 + 12·11)/25 = 9.96, MR̄ 2 (I–MR, σ = 2/1.128). */
    static List<Subgroup> baseline() {
        List<Subgroup> out = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            out.add(Subgroup.of("B" + String.format("%02d", i), T0 + i * 60_000L, null, null, i % 2 == 0 ? 9 : 11));
        }
        return out;
    }

    @Test
    void everyRuleFiresOnceAndTheStreamFindsExactlyTheBatchViolations() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            Set<String> batch = new TreeSet<>();
            for (int r = 0; r < PATTERNS.length; r++) {
                String characteristic = "R" + (r + 1);
                List<Subgroup> groups = baseline();
                ControlChart.Limits limits = ControlChart.fromBaseline(groups, 25, new String[1]);
                assertEquals(9.96, limits.center(), 1e-12);
                assertEquals(2 / 1.128, limits.sigma(), 1e-12);
                for (int i = 0; i < PATTERNS[r].length; i++) {
                    groups.add(Subgroup.of("X" + String.format("%02d", i), T0 + (25 + i) * 60_000L, null, null,
                            limits.center() + PATTERNS[r][i] * limits.sigma()));
                }
                List<SpcAnalysis.Flag> flags = SpcAnalysis.analyse(SpcAnalysis.ordered(groups), 25).violations();
                assertEquals(List.of(r + 1), flags.stream().map(SpcAnalysis.Flag::rule).toList(),
                        characteristic + ": the pattern fires rule " + (r + 1) + " once and nothing else");
                flags.forEach(f -> batch.add(characteristic + "|" + f.subgroup().id() + "|NELSON_" + f.rule()));
                for (Subgroup g : groups) {
                    m.subgroup(characteristic, g.id(), g.timeMillis(), g.mean());
                }
            }
            m.watermark(Long.MAX_VALUE - 1);
            Set<String> stream = new TreeSet<>();
            m.alerts().forEach(a -> stream.add(a.characteristicId + "|" + a.subgroupId + "|" + a.rule));
            assertEquals(6, batch.size());
            assertEquals(batch, stream);
            assertTrue(m.alerts().stream().allMatch(a -> a.limitsSource.equals(Alert.SELF_STARTED)));
        }
    }
}
