package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.spc.ControlChart;
import io.qualitylake.spc.SpcAnalysis;
import io.qualitylake.spc.Subgroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Batch/stream parity on hand-made sequences: for each Nelson rule, one characteristic whose 25
 * baseline values are followed by a pattern built to fire that rule exactly once. The batch side is
 * {@link SpcAnalysis} — the function the capability job's gold.spc_violations rows come from — over
 * the whole sequence; the stream side is the real {@link SpcMonitorFunction}, fed one measurement at a
 * time, self-starting its limits. Their (rule, subgroup) sets must be equal.
 */
@Timeout(120)
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

    static final long BOUND_MS = 6_000;

    /**
     * One characteristic's subgroups of 4 as measurements (σ 1 within, the mean σ 0.5 around 10): a
     * random baseline of 25, then in-control stretches around planted patterns that fire every rule —
     * a 5σ spike (1), a shift of 1.2σ_point (2, 6), means near 2.4σ_point (5), a rising trend (3) and
     * alternating means (4). Subgroup i starts at T0 + 2 s·i and its values come 1.5 s apart (within
     * the harness's 5 s grace), so each subgroup is still open while the next two start.
     */
    static List<MeasurementPoint> plantedSequence(String characteristic, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Double> means = new ArrayList<>();
        List<Double> within = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            means.add(10 + 0.5 * r.nextGaussian());
            within.add(1.0);
        }
        java.util.function.IntConsumer noise = n -> {
            for (int i = 0; i < n; i++) {
                means.add(10 + 0.5 * r.nextGaussian());
                within.add(0.05);
            }
        };
        noise.accept(20);
        means.add(12.5);
        within.add(0.05);
        noise.accept(10);
        for (int i = 0; i < 12; i++) {
            means.add(10.6 + 0.1 * r.nextGaussian());
            within.add(0.05);
        }
        for (int i = 0; i < 4; i++) {
            means.add(11.2 + 0.05 * r.nextGaussian());
            within.add(0.05);
        }
        noise.accept(10);
        for (int i = 0; i < 8; i++) {
            means.add(9 + 0.25 * i + 0.01 * r.nextGaussian());
            within.add(0.01);
        }
        noise.accept(10);
        for (int i = 0; i < 16; i++) {
            means.add(10 + (i % 2 == 0 ? 0.5 : -0.5) + 0.05 * r.nextGaussian());
            within.add(0.05);
        }
        noise.accept(20);
        List<MeasurementPoint> out = new ArrayList<>();
        for (int i = 0; i < means.size(); i++) {
            for (int j = 0; j < 4; j++) {
                out.add(new MeasurementPoint(MonitorHarness.PLANT, MonitorHarness.LINE, characteristic,
                        String.format("G%03d", i), means.get(i) + within.get(i) * r.nextGaussian(),
                        T0 + i * 2_000L + j * 1_500L, seed * 1_000_000 + i * 10L + j));
            }
        }
        return out;
    }

    /** The batch side: subgroups (time of their first value, id) as the capability job builds them. */
    static List<Subgroup> subgroups(List<MeasurementPoint> points, Comparator<Subgroup> order) {
        Map<String, List<MeasurementPoint>> byId = new TreeMap<>();
        points.forEach(p -> byId.computeIfAbsent(p.subgroupId, k -> new ArrayList<>()).add(p));
        List<Subgroup> out = new ArrayList<>();
        byId.forEach((id, ps) -> out.add(Subgroup.of(id, ps.stream().mapToLong(p -> p.timeMillis).min().orElseThrow(), null, null,
                ps.stream().mapToDouble(p -> p.value).toArray())));
        if (order != null) {
            out.sort(order);
        }
        return out;
    }

    /**
     * Out-of-order parity: three planted characteristics whose measurements arrive shuffled within a
     * 6 s out-of-orderness bound (each delayed by a uniform 0–6 s; subgroups start 2 s apart, so a
     * subgroup often completes after later ones), with Flink's bounded-out-of-orderness watermark (newest
     * event time − bound − 1 ms) after each. The stream's alerts equal the batch function's violations
     * row for row — (characteristic, subgroup, rule), no row twice, z to 1e-9 (the stream's running mean
     * and the batch's sum differ in the last bits only) — for all six rules. The shuffle matters: the
     * same subgroups judged in the order they complete give other violations.
     */
    @Test
    void outOfOrderInputWithinTheBoundGivesTheBatchViolationsRowForRow() throws Exception {
        List<MeasurementPoint> all = new ArrayList<>();
        Map<String, Double> batch = new TreeMap<>();
        Set<Integer> rulesFired = new TreeSet<>();
        for (int c = 1; c <= 3; c++) {
            List<MeasurementPoint> points = plantedSequence("OOO" + c, 14 + c);
            all.addAll(points);
            for (SpcAnalysis.Flag f : SpcAnalysis.analyse(subgroups(points, SpcAnalysis.CHART_ORDER), 25).violations()) {
                batch.put("OOO" + c + "|" + f.subgroup().id() + "|NELSON_" + f.rule(), f.z());
                rulesFired.add(f.rule());
            }
        }
        assertEquals(Set.of(1, 2, 3, 4, 5, 6), rulesFired, "the planted patterns fire every rule in batch");

        SplittableRandom r = new SplittableRandom(2026);
        List<long[]> arrival = new ArrayList<>(); // {arrival time, index}
        for (int i = 0; i < all.size(); i++) {
            arrival.add(new long[] {all.get(i).timeMillis + r.nextLong(BOUND_MS), i});
        }
        arrival.sort(Comparator.comparingLong((long[] a) -> a[0]).thenComparingLong(a -> a[1]));

        Set<String> completionOrderHits = new TreeSet<>();
        try (MonitorHarness m = new MonitorHarness()) {
            long maxSeen = Long.MIN_VALUE;
            long watermark = Long.MIN_VALUE;
            Map<String, List<MeasurementPoint>> arrived = new TreeMap<>();
            Map<String, List<Subgroup>> completed = new TreeMap<>();
            for (long[] a : arrival) {
                MeasurementPoint p = all.get((int) a[1]);
                m.measurement(p.characteristicId, p.subgroupId, p.timeMillis, p.value, p.eventHash);
                List<MeasurementPoint> sg = arrived.computeIfAbsent(p.characteristicId + "|" + p.subgroupId, k -> new ArrayList<>());
                sg.add(p);
                if (sg.size() == 4) {
                    completed.computeIfAbsent(p.characteristicId, k -> new ArrayList<>()).addAll(subgroups(sg, null));
                }
                maxSeen = Math.max(maxSeen, p.timeMillis);
                if (maxSeen - BOUND_MS - 1 > watermark) {
                    watermark = maxSeen - BOUND_MS - 1;
                    m.watermark(watermark);
                }
            }
            m.watermark(Long.MAX_VALUE - 1);

            Map<String, Double> stream = new TreeMap<>();
            for (Alert a : m.alerts()) {
                Double before = stream.put(a.characteristicId + "|" + a.subgroupId + "|" + a.rule, a.z);
                assertEquals(null, before, "no alert twice: " + a.alertId);
            }
            assertEquals(batch.keySet(), stream.keySet());
            batch.forEach((k, z) -> assertEquals(z, stream.get(k), 1e-9, k));

            completed.forEach((c, groups) -> SpcAnalysis.analyse(groups, 25).violations().forEach(f ->
                    completionOrderHits.add(c + "|" + f.subgroup().id() + "|NELSON_" + f.rule())));
        }
        assertTrue(!completionOrderHits.equals(batch.keySet()),
                "judged in the order they complete, the shuffled subgroups would give other violations");
    }
}
