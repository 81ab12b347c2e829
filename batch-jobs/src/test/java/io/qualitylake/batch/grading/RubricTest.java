package io.qualitylake.batch.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.UserError;
import io.qualitylake.grading.Rubric;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SPEC §5 default rubric at every anchor and band threshold, and every way a rubric file can be wrong. */
class RubricTest {
    static final Rubric R = Rubric.defaults();
    static final double EPS = 1e-9;

    static Rubric.Indicator indicator(String id) {
        return R.indicators().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void anchorsScoreExactlyAndInterpolateLinearly() {
        Rubric.Indicator fpy = indicator("fpy");
        assertEquals(60, fpy.score(0.90), EPS);
        assertEquals(80, fpy.score(0.97), EPS);
        assertEquals(100, fpy.score(0.995), EPS);
        assertEquals(70, fpy.score(0.935), EPS, "midway between 0.90 and 0.97");
        assertEquals(60 - 20 * 0.10 / 0.07, fpy.score(0.80), EPS, "below the first anchor: the first segment extended");
        assertEquals(100, fpy.score(0.999), EPS, "clamped at 100");
        assertEquals(0, fpy.score(0.5), EPS, "clamped at 0");

        Rubric.Indicator dpmo = indicator("dpmo");
        assertEquals(60, dpmo.score(10_000), EPS);
        assertEquals(80, dpmo.score(1_000), EPS);
        assertEquals(90, dpmo.score(Math.sqrt(1_000 * 100)), EPS, "log10 scale: the geometric midpoint scores midway");
        assertEquals(100, dpmo.score(0), EPS, "zero defects on a log scale is the best end");

        Rubric.Indicator afr = indicator("afr_ratio");
        assertEquals(40, afr.score(2.0), EPS);
        assertEquals(70, afr.score(1.0), EPS);
        assertEquals(100, afr.score(0.5), EPS);
        assertEquals(10, afr.score(3.0), EPS, "beyond the worst anchor the slope continues");

        Rubric.Indicator qlr = indicator("quality_loss_rate");
        assertEquals(60, qlr.score(5), EPS);
        assertEquals(80, qlr.score(2), EPS);
        assertEquals(100, qlr.score(0.5), EPS);
        Rubric.Indicator cpk = indicator("critical_cpk_share");
        assertEquals(80, cpk.score(0.8), EPS);
        assertEquals(100, cpk.score(1.0), EPS);
    }

    static Map<String, Double> allAt(double fpy, double cpk, double dpmo, double afr, double qlr) {
        Map<String, Double> v = new HashMap<>();
        v.put("fpy", fpy);
        v.put("critical_cpk_share", cpk);
        v.put("dpmo", dpmo);
        v.put("afr_ratio", afr);
        v.put("quality_loss_rate", qlr);
        return v;
    }

    /** A hand-computed total, then each band edge exactly at and just below its minimum score. */
    @Test
    void bandThresholdsJustAboveAndJustBelow() {
        Rubric.Graded g = R.grade(allAt(0.97, 0.8, 1_000, 2.0 / 3, 2), 1000, false);
        // afr 2/3 lies on the 1.0 → 0.5 segment: 70 + 30·(1 − 2/3)/0.5 = 90
        assertEquals(0.25 * 80 + 0.20 * 80 + 0.15 * 80 + 0.25 * 90 + 0.15 * 80, g.score(), EPS);
        assertEquals("AA", g.grade());
        for (double[] band : new double[][] {{90, 0}, {80, 1}, {70, 2}, {60, 3}}) {
            assertEquals(R.bands().get((int) band[1]).grade(), R.band(band[0]), "at " + band[0]);
            assertEquals(band[0] == 60 ? "C" : R.bands().get((int) band[1] + 1).grade(), R.band(band[0] - 1e-9),
                    "just below " + band[0]);
        }
        assertEquals("C", R.band(0));
    }

    @Test
    void minimumEvidence() {
        Map<String, Double> v = allAt(0.99, 0.9, 500, 0.8, 1);
        assertEquals(Rubric.INSUFFICIENT, R.grade(v, 499, false).grade(), "499 units");
        assertFalse(R.grade(v, 500, false).grade().equals(Rubric.INSUFFICIENT), "500 units");
        v.put("dpmo", null);
        Rubric.Graded one = R.grade(v, 500, false);
        assertEquals(1, one.missing());
        assertFalse(one.grade().equals(Rubric.INSUFFICIENT), "one indicator missing: weights renormalised");
        double expected = (0.25 * one.scores().get("fpy") + 0.20 * one.scores().get("critical_cpk_share")
                + 0.25 * one.scores().get("afr_ratio") + 0.15 * one.scores().get("quality_loss_rate")) / 0.85;
        assertEquals(expected, one.score(), EPS);
        v.put("fpy", null);
        assertEquals(Rubric.INSUFFICIENT, R.grade(v, 500, false).grade(), "two missing");
    }

    @Test
    void regulatorGateCapsAtA() {
        Map<String, Double> excellent = allAt(0.999, 1.0, 50, 0.4, 0.2);
        assertEquals("AAA", R.grade(excellent, 1000, false).grade());
        Rubric.Graded gated = R.grade(excellent, 1000, true);
        assertEquals("A", gated.grade());
        assertTrue(gated.capped());
        Rubric.Graded poor = R.grade(allAt(0.85, 0.4, 20_000, 2.5, 6), 1000, true);
        assertEquals("C", poor.grade());
        assertFalse(poor.capped(), "a grade already below the cap is not 'capped'");
    }

    static String defaultJson() throws Exception {
        return new String(Rubric.class.getResourceAsStream("/rubrics/line-grade.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    static String error(String json) {
        return assertThrows(UserError.class, () -> Rubric.parse(json, "my.json")).getMessage();
    }

    @Test
    void invalidRubricFilesGiveOneLineErrorsNamingTheProblem() throws Exception {
        String ok = defaultJson();
        assertTrue(error(ok.replace("\"weight\": 0.25, \"anchors\": [[0.90", "\"weight\": 0.20, \"anchors\": [[0.90"))
                .equals("rubric my.json: weights sum to 0.95, not 1"));
        assertTrue(error(ok.replace("[[0.90, 60], [0.97, 80]", "[[0.97, 60], [0.90, 80]"))
                .contains("indicator 'fpy' anchors are unordered"));
        assertTrue(error(ok.replace("[[5, 60], [2, 80]", "[[5, 80], [2, 60]")).contains("anchors are unordered: scores must increase"));
        assertTrue(error(ok.replace("\"quality_loss_rate\"", "\"scrap_ratio\"")).contains("unknown indicator 'scrap_ratio'"));
        assertTrue(error(ok.replace("\"max_grade\": \"A\"", "\"max_grade\": \"Z\"")).contains("gate max_grade 'Z'"));
        assertTrue(error("{not json").startsWith("rubric my.json is not valid JSON"));
        assertTrue(error(ok.replace("{\"grade\": \"AA\", \"min_score\": 80}", "{\"grade\": \"AA\", \"min_score\": 95}"))
                .contains("bands must be listed best first"));
        for (String e : new String[] {error("{}"), error("[]")}) {
            assertFalse(e.contains("\n"), e);
        }
        assertTrue(assertThrows(UserError.class, () -> Rubric.load("/nonexistent/r.json")).getMessage()
                .equals("rubric file not found: /nonexistent/r.json"));
    }

    @Test
    void theShippedExampleFileIsTheDefault() throws Exception {
        assertEquals(defaultJson(), java.nio.file.Files.readString(java.nio.file.Path.of("../examples/rubrics/line-grade.json")));
    }

    /** The shipped rubric as it was before the stability keys. */
    static String withoutStability() throws Exception {
        String old = defaultJson().replaceAll("(?s),\\s*\"trailing_window\".*?\\}\\s*,\\s*\"shrinkage\": \"[a-z_]+\"", "");
        assertFalse(old.contains("trailing_window") || old.contains("shrinkage"), old);
        return old;
    }

    /** A rubric file written before the stability keys keeps working, with the documented defaults. */
    @Test
    void stabilityKeysAreOptionalWithDefaults() throws Exception {
        Rubric old = Rubric.parse(withoutStability(), "old.json");
        assertEquals(3, old.stability().window("afr_ratio"), "rare-event AFR: 3 months by default");
        assertEquals(1, old.stability().window("fpy"));
        assertEquals(1, old.stability().window("dpmo"), "the shipped file's list is gone: only AFR is windowed");
        assertEquals("none", old.stability().shrinkage());
        assertEquals(3, R.stability().window("dpmo"), "the shipped rubric windows dpmo, the Cpk share and the loss rate too");
        assertEquals(1, R.stability().window("fpy"));
        assertEquals(1000, old.stability().draws());
        Rubric r = Rubric.parse(withoutStability().replaceFirst("\"min_units\"", "\"trailing_window\": {\"months\": 6, \"indicators\": "
                + "[\"dpmo\", \"fpy\"]}, \"shrinkage\": \"empirical_bayes\", \"uncertainty_draws\": 400, \"min_units\""), "new.json");
        assertEquals(6, r.stability().window("dpmo"));
        assertEquals(6, r.stability().window("fpy"));
        assertEquals(1, r.stability().window("afr_ratio"), "the file's list replaces the default list");
        assertEquals(6, r.stability().maxWindow());
        assertTrue(r.stability().empiricalBayes());
        assertEquals(400, r.stability().draws());
    }

    @Test
    void stabilitySettingsOutOfRangeAreOneLineErrors() throws Exception {
        String ok = withoutStability().replaceFirst("\"min_units\"", "XX, \"min_units\"");
        assertEquals("rubric my.json: trailing_window months must be a whole number from 1 to 12, got 0",
                error(ok.replace("XX", "\"trailing_window\": {\"months\": 0}")));
        assertEquals("rubric my.json: trailing_window months must be a whole number from 1 to 12, got 13",
                error(ok.replace("XX", "\"trailing_window\": {\"months\": 13}")));
        assertEquals("rubric my.json: trailing_window months must be a whole number from 1 to 12, got 2.5",
                error(ok.replace("XX", "\"trailing_window\": {\"months\": 2.5}")));
        assertTrue(error(ok.replace("XX", "\"trailing_window\": {\"indicators\": [\"yield\"]}"))
                .startsWith("rubric my.json: trailing_window names unknown indicator 'yield'"));
        assertEquals("rubric my.json: shrinkage must be none or empirical_bayes, got 'james_stein'",
                error(ok.replace("XX", "\"shrinkage\": \"james_stein\"")));
        assertEquals("rubric my.json: uncertainty_draws must be a whole number from 200 to 100000, got 50",
                error(ok.replace("XX", "\"uncertainty_draws\": 50")));
    }
}
