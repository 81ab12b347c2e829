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
}
