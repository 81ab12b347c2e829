package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.spc.Cusum;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitor's keyed logic in Flink's operator harness: subgroup assembly, limits, rules, state and timers. */
@Timeout(120)
class SpcMonitorFunctionTest {
    static final long T0 = 1_772_352_000_000L; // 2026-03-01T08:00:00Z
    static final long SECOND = 1_000;

    /**
     * Published X̄–R limits, center 10, σ_within 2, k = 4, so σ of a mean is 2/√4 = 1 (hand). A
     * subgroup 13, 14, 15, 14 has mean 14: z = 4, beyond 3σ (Nelson 1), with limits 10 ± 3 and
     * limits_source BATCH. Complete when its fourth value arrives, it is judged once the watermark has
     * passed its first value (before, a subgroup out of order could still come before it in the chart).
     */
    @Test
    void aSubgroupIsJudgedWhenItsSizeHasArrived() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            m.limits(MonitorHarness.published("C1", "XBAR_R", 10, 2, 4, null));
            m.subgroup("C1", "S1", T0, 13, 14, 15);
            assertEquals(0, m.alerts().size(), "three of four values: not complete yet");
            m.subgroup("C1", "S1", T0 + 3, 14);
            m.watermark(T0 - 1);
            assertEquals(0, m.alerts().size(), "complete, but the watermark has not passed it yet");
            m.watermark(T0);
            List<Alert> alerts = m.alerts();
            assertEquals(1, alerts.size());
            Alert a = alerts.get(0);
            assertEquals("NELSON_1", a.rule);
            assertEquals(14, a.value, 1e-12);
            assertEquals(4, a.z, 1e-12);
            assertEquals(7, a.lcl, 1e-12);
            assertEquals(13, a.ucl, 1e-12);
            assertEquals(10, a.center, 1e-12);
            assertEquals(Alert.BATCH, a.limitsSource);
            assertEquals(T0, a.subgroupTimeMillis, "a subgroup's time is its first measurement's");
            assertEquals(Alert.id("P01", "L01", "C1", "S1", "NELSON_1"), a.alertId);
        }
    }

    /**
     * Without published limits the first 25 subgroups (sizes unknown: each closes when the watermark
     * passes its last value + 5 s grace) give X̄–R limits exactly as the batch job: every subgroup is
     * (9, 11) → center 10, R̄ = 2, σ = R̄/d₂(2) = 2/1.128 (hand). The 26th, (15, 15), closes by size (2
     * is known now) and is judged when the watermark passes it, at z = 5/(σ/√2) = 3.98808 → Nelson 1
     * with limits_source SELF_STARTED.
     */
    @Test
    void withoutLimitsTheFirst25SubgroupsSelfStartTheChart() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            for (int i = 0; i < 25; i++) {
                m.subgroup("C2", "B" + i, T0 + i * SECOND, 9, 11);
            }
            assertEquals(0, m.alerts().size());
            m.watermark(T0 + 24 * SECOND + MonitorHarness.GRACE_MS + SECOND);
            m.subgroup("C2", "X", T0 + 31 * SECOND, 15, 15);
            assertEquals(0, m.alerts().size());
            m.watermark(T0 + 31 * SECOND);
            List<Alert> alerts = m.alerts();
            assertEquals(1, alerts.size(), "baseline subgroups are not judged; the 26th is");
            Alert a = alerts.get(0);
            assertEquals("NELSON_1", a.rule);
            assertEquals(Alert.SELF_STARTED, a.limitsSource);
            double sigmaPoint = 2 / 1.128 / Math.sqrt(2);
            assertEquals(5 / sigmaPoint, a.z, 1e-9);
            assertEquals(3.98808, a.z, 5e-6);
        }
    }

    /** Idle characteristics are forgotten: once event time passes the idle expiry no keyed state or timer is left. */
    @Test
    void stateAndTimersAreCleanedUpWhenACharacteristicGoesIdle() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            m.limits(MonitorHarness.published("C3", "XBAR_R", 10, 2, 4, null));
            m.subgroup("C3", "S1", T0, 10, 10, 10, 10);
            m.subgroup("C3", "S2", T0 + SECOND, 10, 11); // left open: closes by the watermark
            m.subgroup("C4", "S1", T0, 9, 11); // a characteristic without limits, in its baseline
            assertTrue(m.keyedStateEntries() > 0);
            assertTrue(m.h.numEventTimeTimers() > 0);
            m.watermark(T0 + MonitorHarness.IDLE_MS + 10 * SECOND);
            assertEquals(0, m.keyedStateEntries(), "no keyed state left");
            assertEquals(0, m.h.numEventTimeTimers(), "no timer left");
        }
    }

    /**
     * Timers stay bounded: one per open subgroup, one per closed subgroup the watermark has not passed
     * yet, and one idle expiry per characteristic. 200 subgroups of a known size close by size and each
     * holds a timer at its time until the watermark passes it, which leaves only the idle timer; one left
     * short of its size holds one more, which moves on when it fires before the subgroup's last value + grace.
     */
    @Test
    void timersStayBoundedPerCharacteristic() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            m.limits(MonitorHarness.published("C9", "XBAR_R", 10, 2, 4, null));
            for (int i = 0; i < 200; i++) {
                m.subgroup("C9", "S" + i, T0 + i * SECOND, 10, 10, 10, 10);
            }
            assertEquals(201, m.h.numEventTimeTimers(), "closed, waiting for the watermark, and the idle expiry");
            m.watermark(T0 + 199 * SECOND);
            assertEquals(1, m.h.numEventTimeTimers(), "all judged: only the idle expiry");
            assertEquals(0, m.alerts().size());
            m.subgroup("C9", "OPEN", T0 + 300 * SECOND, 10);
            assertEquals(2, m.h.numEventTimeTimers());
            m.subgroup("C9", "OPEN", T0 + 300 * SECOND + 4 * SECOND, 10); // last value 4 s later: closes at +9 s
            m.watermark(T0 + 300 * SECOND + 5 * SECOND);
            assertEquals(2, m.h.numEventTimeTimers(), "the early timer fired and moved on");
            assertEquals(0, m.alerts().size());
            m.watermark(T0 + 300 * SECOND + 9 * SECOND);
            assertEquals(1, m.h.numEventTimeTimers(), "closed by the watermark: only the idle expiry is left");
        }
    }

    /**
     * A repeated event (same event_id hash) counts once in its subgroup, and a measurement of a subgroup
     * already judged does not reopen it. With center 10, σ_point 1: 10, 10, 10 + a repeat of the first
     * + 14 → mean 11 (not 12 with the repeat counted), no alert; a late 30 for S1 changes nothing.
     */
    @Test
    void duplicatesCountOnceAndStragglersDoNotReopenASubgroup() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            m.limits(MonitorHarness.published("C5", "XBAR_R", 10, 2, 4, null));
            m.measurement("C5", "S1", T0, 10, 1);
            m.measurement("C5", "S1", T0 + 1, 10, 2);
            m.measurement("C5", "S1", T0 + 2, 10, 3);
            m.measurement("C5", "S1", T0 + 3, 10, 1); // the first one again
            m.measurement("C5", "S1", T0 + 4, 14, 4);
            m.measurement("C5", "S1", T0 + 5, 30, 5); // straggler after S1 was judged
            m.watermark(Long.MAX_VALUE - 1);
            assertEquals(0, m.alerts().size(), "mean 11 is z = 1: no rule fires, and the straggler opened nothing");
        }
    }

    /**
     * EWMA and CUSUM from the rules, on published I–MR limits center 0, σ 1 (hand): five values of 1.5
     * with CUSUM k = 0.5, h = 4 give C⁺ = 1, 2, 3, 4, 5 → the first signal at the fifth (5 &gt; 4); four of
     * five beyond 1σ (Nelson 6) also completes at the fifth. EWMA λ = 0.2, L = 3 on the same values:
     * z₅ = 1.5·(1 − 0.8⁵) = 1.00848 against 3·√(0.2/1.8·(1 − 0.8¹⁰)) = 0.94479 → EWMA signals at 5 too,
     * not at 4 (z₄ = 0.8856 vs 3·√(0.2/1.8·(1 − 0.8⁸)) = 0.91227).
     */
    @Test
    void ewmaAndCusumRunWhereTheRulesSayAndAgreeWithHandComputation() throws Exception {
        MonitorRules rules = new MonitorRules(new MonitorRules.Charts(new io.qualitylake.spc.Ewma.Params(0.2, 3),
                new Cusum.Params(0.5, 4)), Map.of());
        try (MonitorHarness m = new MonitorHarness(rules, Map.of())) {
            m.limits(MonitorHarness.published("C6", "I_MR", 0, 1, 1, null));
            for (int i = 1; i <= 4; i++) {
                m.subgroup("C6", "S" + i, T0 + i * SECOND, 1.5);
            }
            m.watermark(T0 + 4 * SECOND);
            assertEquals(0, m.alerts().size());
            m.subgroup("C6", "S5", T0 + 5 * SECOND, 1.5);
            m.watermark(T0 + 5 * SECOND);
            List<String> rulesAt5 = m.alerts().stream().map(a -> a.rule).sorted().toList();
            assertEquals(List.of("CUSUM_UP", "EWMA", "NELSON_6"), rulesAt5);
            Alert cusum = m.alerts().stream().filter(a -> a.rule.equals("CUSUM_UP")).findFirst().orElseThrow();
            assertEquals(5.0, cusum.value, 1e-12);
            assertEquals(4.0, cusum.ucl, 1e-12);
            assertNull(cusum.lcl);
            Alert ewma = m.alerts().stream().filter(a -> a.rule.equals("EWMA")).findFirst().orElseThrow();
            assertEquals(1.00848, ewma.value, 5e-6);
            assertEquals(0.94479, ewma.ucl, 5e-6);
        }
    }

    /** New limits on the broadcast apply from the next subgroup on, without a restart, and say BATCH. */
    @Test
    void publishedLimitsReplaceSelfStartedOnesWithoutARestart() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            for (int i = 0; i < 25; i++) {
                m.subgroup("C7", "B" + i, T0 + i * SECOND, 9, 11);
            }
            m.watermark(T0 + 40 * SECOND);
            m.subgroup("C7", "X1", T0 + 41 * SECOND, 15, 15);
            m.watermark(T0 + 41 * SECOND);
            assertEquals(Alert.SELF_STARTED, m.alerts().get(0).limitsSource);
            m.limits(MonitorHarness.published("C7", "XBAR_R", 20, 2, 2, null));
            m.subgroup("C7", "X2", T0 + 42 * SECOND, 15, 15);
            m.watermark(T0 + 42 * SECOND);
            List<Alert> alerts = m.alerts();
            assertEquals(2, alerts.size());
            assertEquals(Alert.BATCH, alerts.get(1).limitsSource);
            assertEquals(-5 / Math.sqrt(2), alerts.get(1).z, 1e-12, "z against center 20, σ_point 2/√2");
        }
    }

    /** Subgroups at or before the published baseline end are the limits' own Phase I and are not judged. */
    @Test
    void theBaselineOfPublishedLimitsIsNotJudged() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            m.limits(MonitorHarness.published("C8", "I_MR", 0, 1, 1, T0 + 10 * SECOND));
            m.subgroup("C8", "OLD", T0 + 10 * SECOND, 9);
            m.subgroup("C8", "NEW", T0 + 11 * SECOND, 9);
            m.watermark(T0 + 11 * SECOND);
            assertEquals(List.of("NEW"), m.alerts().stream().map(a -> a.subgroupId).toList());
        }
    }

    /**
     * Closed subgroups are judged in chart order (time of the first value, then id), not in the order
     * they close. Published I–MR limits center 0, σ 1 (hand): six single values 0.1, 0.2, …, 0.6 one
     * second apart rise six times in a row (Nelson 3 at the sixth, S6) in event time, but arrive as
     * S2, S1, S4, S3, S6, S5, each within 2 s of its time. Judged as they close, the sequence would be
     * 0.2, 0.1, 0.4, 0.3, 0.6, 0.5 and fire nothing. With a watermark 2 s behind the newest value, S6
     * is judged (and fires) only once the watermark passes its time, after S5 is in.
     */
    @Test
    void closedSubgroupsAreJudgedInEventTimeOrderOnceTheWatermarkPassesThem() throws Exception {
        try (MonitorHarness m = new MonitorHarness()) {
            m.limits(MonitorHarness.published("C10", "I_MR", 0, 1, 1, null));
            int[] arrival = {2, 1, 4, 3, 6, 5};
            long maxSeen = Long.MIN_VALUE;
            for (int i : arrival) {
                long t = T0 + i * SECOND;
                m.subgroup("C10", "S" + i, t, i / 10.0);
                maxSeen = Math.max(maxSeen, t);
                m.watermark(maxSeen - 2 * SECOND - 1); // Flink's bounded out-of-orderness: newest − bound − 1 ms
            }
            assertEquals(0, m.alerts().size(), "S6 is complete but the watermark has not passed it");
            m.watermark(T0 + 6 * SECOND);
            List<Alert> alerts = m.alerts();
            assertEquals(List.of("S6|NELSON_3"), alerts.stream().map(a -> a.subgroupId + "|" + a.rule).toList());
            assertEquals(0.6, alerts.get(0).value, 1e-12);
        }
    }
}
