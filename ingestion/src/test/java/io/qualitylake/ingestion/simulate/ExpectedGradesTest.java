package io.qualitylake.ingestion.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.grading.Rubric;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.integration.SimpsonIntegrator;
import org.junit.jupiter.api.Test;

/** truth.json line_months: the planted expected indicators per line and month, and their rubric score. */
class ExpectedGradesTest {
    static final SimulationConfig CONFIG = new SimulationConfig(5, 6, 60, LocalDate.of(2025, 1, 1), 24, 3, 0, 0, 0, 0);

    @Test
    void everyLineAndMonthHasItsExpectedIndicatorsAndTheRubricScoreOfThem() {
        Simulator sim = new Simulator(CONFIG);
        World w = sim.world();
        List<Map<String, Object>> rows = ExpectedGrades.lineMonths(w, CONFIG, Rubric.defaults());
        assertEquals(12 * 3, rows.size(), "12 lines x January, February, March (1 day)");
        Rubric rubric = Rubric.defaults();
        for (Map<String, Object> r : rows) {
            World.Line line = w.lines.stream().filter(l -> l.lineId().equals(r.get("line_id"))).findFirst().orElseThrow();
            // fpy is the planted first-pass probability itself (its window is one month)
            assertEquals(line.fpy(), (Double) r.get("fpy"), 1e-6);
            Map<String, Double> v = new LinkedHashMap<>();
            for (String i : Rubric.KNOWN) {
                assertNotNull(r.get(i), r.toString());
                v.put(i, (Double) r.get(i));
            }
            // the rubric's own score of the written indicators; 1e-3: they are written rounded to 6 decimals
            assertEquals(rubric.grade(v, ((Number) r.get("units")).longValue(), false).score(), (Double) r.get("score"), 1e-3);
            assertTrue((Double) r.get("critical_cpk_share") >= 0 && (Double) r.get("critical_cpk_share") <= 1);
            long units = ((Number) r.get("units")).longValue();
            assertEquals(r.get("period").equals("2025-03") ? 24 : r.get("period").equals("2025-02") ? 24 * 28 : 24 * 31, units);
            if (units < rubric.minUnits()) {
                assertEquals(Rubric.INSUFFICIENT, r.get("grade"));
            }
        }
    }

    /**
     * Hand-computed: dpmo of a line is ((1 − fpy)·coded·1.15 + fpy·0.01) / opportunities × 10⁶
     * (a failed unit's defects are coded with the profile's share, 15 % of them twice; 1 % of
     * first-pass units carry a cosmetic defect). For fpy 0.95, coded 0.99, 12 opportunities:
     * (0.05·0.99·1.15 + 0.95·0.01)/12 × 10⁶ = (0.056925 + 0.0095)/12 × 10⁶ = 5 535.4.
     */
    @Test
    void dpmoAndFpyFollowTheLinesPlantedProbabilities() {
        World w = new Simulator(CONFIG).world();
        for (Map<String, Object> r : ExpectedGrades.lineMonths(w, CONFIG, Rubric.defaults())) {
            World.Line l = w.lines.stream().filter(x -> x.lineId().equals(r.get("line_id"))).findFirst().orElseThrow();
            double coded = l.plant().enterprise().profile().codedDefectShare();
            double expected = ((1 - l.fpy()) * coded * 1.15 + l.fpy() * 0.01) / l.product().opportunities() * 1e6;
            assertEquals(expected, (Double) r.get("dpmo"), 1e-3);
        }
        assertEquals(5535.4, (0.05 * 0.99 * 1.15 + 0.95 * 0.01) / 12 * 1e6, 0.05);
    }

    /**
     * The install-time distribution the field expectations integrate over: a unit built at a uniform
     * time of its day installs 2 + Gamma(2, 4) days later, so its install falls on average 0.5 + 2 + 8
     * = 10.5 days after the start of its build day; the CDF the oracle uses must have that mean
     * (∫(1 − F)), and match the generator's own lags (Kolmogorov distance under 0.02 over 20 000 draws:
     * the 1 % critical value is 1.63/√20000 = 0.0115).
     */
    @Test
    void installLagDistributionMatchesTheGenerator() {
        double mean = new SimpsonIntegrator(1e-9, 1e-9, 3, 30).integrate(100_000,
                y -> 1 - ExpectedGrades.InstallTimes.lagCdf(y), 0, 150);
        assertEquals(10.5, mean, 1e-4);
        SplittableRandom r = new SplittableRandom(1);
        int n = 20_000;
        double[] lag = new double[n];
        for (int i = 0; i < n; i++) {
            lag[i] = r.nextDouble() + Units.INSTALL_LAG_MIN
                    + Units.INSTALL_LAG_SCALE * (-Math.log(1 - r.nextDouble()) - Math.log(1 - r.nextDouble()));
        }
        java.util.Arrays.sort(lag);
        double ks = 0;
        for (int i = 0; i < n; i++) {
            double f = ExpectedGrades.InstallTimes.lagCdf(lag[i]);
            ks = Math.max(ks, Math.max(Math.abs(f - (double) i / n), Math.abs(f - (double) (i + 1) / n)));
        }
        assertTrue(ks < 0.0115, "KS distance " + ks);
    }
}
