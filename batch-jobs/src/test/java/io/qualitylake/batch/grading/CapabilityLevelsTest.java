package io.qualitylake.batch.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.UserError;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each SPEC §5 level criterion exactly at its threshold (met) and just beyond it (unmet). */
class CapabilityLevelsTest {
    static final CapabilityLevels L = CapabilityLevels.load(null);

    /** Values that meet every criterion of every level, each exactly at its threshold. */
    static Map<String, Double> atThresholds() {
        Map<String, Double> v = new HashMap<>();
        v.put("installed_with_production_record", 0.95);
        v.put("nonfirstpass_with_coded_defect", 0.90);
        v.put("lines_measuring_critical", 0.80);
        v.put("traceability_coverage", 0.90);
        v.put("spot_check_pass_rate", 0.90);
        v.put("critical_cpk_share", 0.95);
        v.put("auto_collection_rate", 0.80);
        v.put("nelson1_subgroup_share", 0.01);
        v.put("afr_vs_peer_median", 1.0);
        v.put("quality_loss_rate_change", -0.10);
        v.put("quality_loss_rate", 3.0);
        v.put("fpy_percentile", 0.75);
        v.put("afr_percentile", 0.75);
        return v;
    }

    @Test
    void allAtThresholdIsExcellence() {
        CapabilityLevels.Result r = L.evaluate(atThresholds());
        assertEquals("EXCELLENCE", r.level());
        assertEquals("卓越级", r.levelCn());
        assertEquals(List.of(), r.nextLevelGaps());
        assertEquals(13, r.criteria().size());
    }

    /** criterion → (the level it belongs to is lost, a value just beyond its threshold). */
    @Test
    void eachCriterionJustMissedDropsToTheLevelBelow() {
        Object[][] cases = {
                {"installed_with_production_record", 0.9499, "EXPERIENCE"},
                {"nonfirstpass_with_coded_defect", 0.8999, "EXPERIENCE"},
                {"lines_measuring_critical", 0.7999, "INSPECTION"},
                {"traceability_coverage", 0.8999, "INSPECTION"},
                {"spot_check_pass_rate", 0.8999, "INSPECTION"},
                {"critical_cpk_share", 0.7999, "ASSURANCE"},
                {"auto_collection_rate", 0.7999, "ASSURANCE"},
                {"nelson1_subgroup_share", 0.0101, "ASSURANCE"},
                {"afr_vs_peer_median", 1.0001, "ASSURANCE"},
                {"critical_cpk_share", 0.9499, "PREVENTION"},
                {"quality_loss_rate_change", -0.0999, "PREVENTION"},
                {"fpy_percentile", 0.7499, "PREVENTION"},
                {"afr_percentile", 0.7499, "PREVENTION"},
        };
        for (Object[] c : cases) {
            Map<String, Double> v = atThresholds();
            v.put((String) c[0], (Double) c[1]);
            CapabilityLevels.Result r = L.evaluate(v);
            assertEquals(c[2], r.level(), c[0] + " = " + c[1]);
            assertTrue(r.nextLevelGaps().stream().anyMatch(g -> g.startsWith(c[0] + " is ")), r.nextLevelGaps().toString());
        }
    }

    @Test
    void lossRateAtOrBelowHalfAPercentSatisfiesTheReductionCriterion() {
        Map<String, Double> v = atThresholds();
        v.put("quality_loss_rate_change", 0.2);
        v.put("quality_loss_rate", 0.5);
        assertEquals("EXCELLENCE", L.evaluate(v).level());
        v.put("quality_loss_rate", 0.5001);
        assertEquals("PREVENTION", L.evaluate(v).level());
        v.put("quality_loss_rate_change", null);
        v.put("quality_loss_rate", 0.4);
        assertEquals("EXCELLENCE", L.evaluate(v).level(), "no previous period, but low enough");
    }

    @Test
    void levelsAreCumulativeAndMissingDataIsUnmet() {
        Map<String, Double> v = atThresholds();
        v.put("traceability_coverage", 0.5); // ASSURANCE fails, PREVENTION/EXCELLENCE criteria still met
        CapabilityLevels.Result r = L.evaluate(v);
        assertEquals("INSPECTION", r.level());
        assertEquals(List.of("traceability_coverage is 0.5, needs >= 0.9"), r.nextLevelGaps());
        v = atThresholds();
        v.remove("auto_collection_rate");
        r = L.evaluate(v);
        assertEquals("ASSURANCE", r.level());
        assertEquals(List.of("auto_collection_rate has no data, needs >= 0.8"), r.nextLevelGaps());
    }

    @Test
    void tooFewUnitsIsInsufficientDataNotALowLevel() {
        assertEquals(500, L.minUnits());
        CapabilityLevels.Result r = L.insufficient(42);
        assertEquals("INSUFFICIENT_DATA", r.level());
        assertTrue(r.nextLevelGaps().get(0).startsWith("only 42 units"));
    }

    @Test
    void badLevelFilesAreOneLineErrors() {
        assertTrue(assertThrows(UserError.class, () -> CapabilityLevels.parse("{\"levels\":[{\"level\":\"X\",\"criteria\":"
                + "[{\"criterion\":\"happiness\",\"min\":1}]}]}", "f.json")).getMessage().contains("unknown criterion 'happiness'"));
        assertTrue(assertThrows(UserError.class, () -> CapabilityLevels.parse("{\"levels\":[{\"level\":\"X\",\"criteria\":"
                + "[{\"criterion\":\"fpy_percentile\",\"min\":1,\"max\":2}]}]}", "f.json")).getMessage().contains("exactly one"));
        assertTrue(assertThrows(UserError.class, () -> CapabilityLevels.parse("{}", "f.json")).getMessage().contains("'levels'"));
    }

    static CapabilityLevels.Evidence evidence(Map<String, Double> v, Map<String, double[]> iv, Map<String, String> pending) {
        return new CapabilityLevels.Evidence(v, iv, pending);
    }

    static CapabilityLevels.Outcome outcome(CapabilityLevels.Result r, String level, String criterion) {
        return r.criteria().stream().filter(o -> o.level().equals(level) && o.criterion().equals(criterion)).findFirst().orElseThrow();
    }

    /**
     * Met with confidence: the interval lies wholly on the met side. A spot-check pass rate of 0.95
     * from 20 checks (19 passed) has the Clopper–Pearson interval 0.7513–0.9987 (R binom.test(19, 20)):
     * met, but not with confidence, and the level it holds up (ASSURANCE and above) is provisional.
     * From 2000 checks (1900 passed) the interval 0.9395–0.9591 clears 0.90: met with confidence.
     */
    @Test
    void criteriaInsideTheirIntervalMakeTheLevelProvisional() {
        Map<String, Double> v = atThresholds();
        v.put("critical_cpk_share", 0.90); // PREVENTION, clearly short of EXCELLENCE's 0.95 (no interval given)
        v.put("spot_check_pass_rate", 0.95);
        Map<String, double[]> iv = new HashMap<>();
        iv.put("spot_check_pass_rate", GradeUncertainty.binomial(19, 20));
        assertEquals(0.7513, iv.get("spot_check_pass_rate")[0], 1e-4);
        CapabilityLevels.Result r = L.evaluate(evidence(v, iv, Map.of()));
        assertEquals("PREVENTION", r.level());
        CapabilityLevels.Outcome spot = outcome(r, "ASSURANCE", "spot_check_pass_rate");
        assertEquals(Boolean.TRUE, spot.met());
        assertEquals(Boolean.FALSE, spot.metWithConfidence());
        assertTrue(r.provisional());
        assertTrue(r.provisionalReasons().get(0).startsWith("ASSURANCE spot_check_pass_rate is 0.95, needs >= 0.9, 95 % interval 0.7513-0.9987"),
                r.provisionalReasons().toString());

        iv.put("spot_check_pass_rate", GradeUncertainty.binomial(1900, 2000));
        r = L.evaluate(evidence(v, iv, Map.of()));
        assertEquals(Boolean.TRUE, outcome(r, "ASSURANCE", "spot_check_pass_rate").metWithConfidence());
        assertEquals(false, r.provisional(), r.provisionalReasons().toString());
        assertEquals(Boolean.TRUE, outcome(r, "INSPECTION", "installed_with_production_record").metWithConfidence(),
                "no interval: taken at face value");
    }

    /** The next level is in doubt only when every unmet criterion of it could be met. */
    @Test
    void theNextLevelIsInDoubtOnlyWhenAllItsUnmetCriteriaAre() {
        Map<String, Double> v = atThresholds();
        v.put("critical_cpk_share", 11 / 13.0); // 0.846, CP interval 0.546-0.981 (binom.test(11, 13)) contains 0.95
        Map<String, double[]> iv = new HashMap<>();
        iv.put("critical_cpk_share", GradeUncertainty.binomial(11, 13));
        CapabilityLevels.Result r = L.evaluate(evidence(v, iv, Map.of()));
        assertEquals("PREVENTION", r.level());
        assertTrue(r.provisional());
        assertTrue(r.provisionalReasons().stream().anyMatch(x -> x.startsWith("EXCELLENCE critical_cpk_share")),
                "with more characteristics it could be EXCELLENCE: " + r.provisionalReasons());
        assertTrue(r.provisionalReasons().stream().anyMatch(x -> x.startsWith("PREVENTION critical_cpk_share is 0.8462, needs >= 0.8")),
                "the same interval also contains PREVENTION's 0.80: " + r.provisionalReasons());
        assertEquals(Boolean.FALSE, outcome(r, "EXCELLENCE", "critical_cpk_share").met());
        assertEquals(Boolean.FALSE, outcome(r, "PREVENTION", "critical_cpk_share").metWithConfidence());
        v.put("fpy_percentile", 0.5); // a second unmet EXCELLENCE criterion with no interval: EXCELLENCE is out of reach
        r = L.evaluate(evidence(v, iv, Map.of()));
        assertTrue(r.provisionalReasons().stream().noneMatch(x -> x.startsWith("EXCELLENCE")), r.provisionalReasons().toString());
        assertTrue(r.provisional(), "PREVENTION itself stays in doubt");
    }

    /** Issue 15 / SPEC §5: an immature loss comparison is met = null with a note; it does not block the level, it makes it provisional. */
    @Test
    void anImmatureLossComparisonIsPendingNotUnmet() {
        Map<String, Double> v = atThresholds();
        v.put("quality_loss_rate_change", null);
        v.put("quality_loss_rate", null);
        String note = "compared once 90 days have passed since its end: from 2025-06-29";
        CapabilityLevels.Result r = L.evaluate(evidence(v, Map.of(),
                Map.of("quality_loss_rate_change", note, "quality_loss_rate", note)));
        assertEquals("EXCELLENCE", r.level());
        CapabilityLevels.Outcome o = outcome(r, "EXCELLENCE", "quality_loss_rate_change");
        assertEquals(null, o.met());
        assertTrue(o.note().startsWith(note), o.note());
        assertTrue(r.provisional());
        assertTrue(r.provisionalReasons().get(0).contains("not judged yet"), r.provisionalReasons().toString());
        assertEquals(List.of(), r.nextLevelGaps());
    }

    /**
     * Month M's loss is mature on (end of M) + 90 days: January 2025 ends at 2025-02-01 00:00Z, so
     * on 2025-05-02, i.e. from as_of 2025-05-01 (which covers events before 2025-05-02).
     */
    @Test
    void aMonthMaturesNinetyDaysAfterItsEnd() {
        assertEquals(java.time.LocalDate.of(2025, 5, 2), LossMaturity.matureOn("2025-01"));
        assertEquals(java.util.Set.of("2025-01"), LossMaturity.maturedBetween(java.time.LocalDate.of(2025, 4, 30),
                java.time.LocalDate.of(2025, 5, 1)));
        assertEquals(java.util.Set.of(), LossMaturity.maturedBetween(java.time.LocalDate.of(2025, 5, 1),
                java.time.LocalDate.of(2025, 5, 20)));
        assertEquals(java.util.Set.of("2025-01", "2025-02"), LossMaturity.maturedBetween(java.time.LocalDate.of(2025, 4, 1),
                java.time.LocalDate.of(2025, 5, 31)), "February ends 2025-03-01: mature 2025-05-30");
        assertEquals(java.util.Set.of(), LossMaturity.maturedBetween(null, java.time.LocalDate.of(2025, 5, 31)), "first run: all months anyway");
    }
}
