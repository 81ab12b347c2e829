package io.qualitylake.batch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Nelson's MCF against a published example and hand-computed ties. */
class McfTest {
    /**
     * ReliaWiki / Weibull++ "Non Parametric RDA MCF Example" (Nelson's method): five machines with
     * failure ages (months) 1: 5, 10, 15, 17+; 2: 6, 13, 17, 19+; 3: 12, 20, 25, 26+; 4: 13, 15, 24+;
     * 5: 16, 22, 25, 28+ (+ = end of observation). The page prints M*(t) = 0.20, 0.40, 0.60, 0.80,
     * 1.00, 1.20, 1.40, 1.60, 1.80, 2.00 (one row per recurrence, r = 5 through age 17), then r = 3 and
     * 2 after the ends at 17 and 19 (machine 2's recurrence at 17 comes before machine 1's end at 17).
     */
    static final double[] RECURRENCES = {5, 10, 15, 6, 13, 17, 12, 20, 25, 13, 15, 16, 22, 25};
    static final double[] ENDS = {17, 19, 26, 24, 28};

    @Test
    void reliaWikiExampleMcfAndAtRisk() {
        List<Mcf.Point> p = Mcf.estimate(RECURRENCES, ENDS, Mcf.Z95);
        double[] t = {5, 6, 10, 12, 13, 15, 16, 17, 20, 22, 25};
        int[] r = {5, 5, 5, 5, 5, 5, 5, 5, 3, 3, 2};
        int[] d = {1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2};
        double[] m = {0.20, 0.40, 0.60, 0.80, 1.20, 1.60, 1.80, 2.00, 2.0 + 1 / 3.0, 2.0 + 2 / 3.0, 2.0 + 2 / 3.0 + 1.0};
        assertEquals(t.length, p.size());
        for (int i = 0; i < t.length; i++) {
            assertEquals(t[i], p.get(i).t());
            assertEquals(r[i], p.get(i).atRisk(), "at risk at " + t[i]);
            assertEquals(d[i], p.get(i).events());
            assertEquals(m[i], p.get(i).mcf(), 1e-12, "MCF at " + t[i]);
        }
    }

    /**
     * The same example's variances and bounds: the Python `reliability` package (M. Reid,
     * tests/test_Repairable_systems.py::test_MCF_nonparametric, dataset MCF_1 = this example) asserts,
     * over its one-row-per-recurrence table with one-sided 95 % bounds (z = 1.6449), Σ MCF =
     * 22.833333333333332, Σ variance = 3.933518518518521, Σ lower = 13.992740081348929,
     * Σ upper = 38.23687898478023 (rtol 1e-7). Our table has one row per age; a tie of d recurrences
     * at r at risk is d such rows, the j-th at M_prev + j/r and Var_prev + j(r − 1)/r³, so the sums
     * are rebuilt from our rows and compared to those printed figures at the same relative tolerance.
     */
    @Test
    void reliabilityPackageSumsOfVarianceAndBounds() {
        double z = 1.6448536269514722;
        List<Mcf.Point> p = Mcf.estimate(RECURRENCES, ENDS, z);
        double sm = 0;
        double sv = 0;
        double sl = 0;
        double su = 0;
        double prevM = 0;
        double prevV = 0;
        for (Mcf.Point x : p) {
            int r = x.atRisk();
            for (int j = 1; j <= x.events(); j++) {
                double mj = prevM + (double) j / r;
                double vj = prevV + j * (r - 1.0) / ((double) r * r * r);
                double w = Math.exp(z * Math.sqrt(vj) / mj);
                sm += mj;
                sv += vj;
                sl += mj / w;
                su += mj * w;
            }
            prevM = x.mcf();
            prevV = x.variance();
            // the row's own values are its last recurrence's
            assertEquals(x.mcf() / Math.exp(z * Math.sqrt(x.variance()) / x.mcf()), x.lower(), 1e-12);
        }
        assertEquals(22.833333333333332, sm, 22.83 * 1e-7);
        assertEquals(3.933518518518521, sv, 3.93 * 1e-7);
        assertEquals(13.992740081348929, sl, 13.99 * 1e-7);
        assertEquals(38.23687898478023, su, 38.24 * 1e-7);
        // first row as the package's documentation prints it (docs "Mean cumulative function", MCF_nonparametric
        // "95.0% CI" table: time 5, MCF_lower 0.0459299, MCF 0.2, MCF_upper 0.870893, variance 0.032), to its digits;
        // by hand Var = (r − 1)/r³ = 4/125 and the bounds 0.2·exp(∓1.6449·√0.032/0.2)
        assertEquals(0.032, p.get(0).variance(), 1e-15);
        assertEquals(0.0459299, p.get(0).lower(), 5e-8);
        assertEquals(0.870893, p.get(0).upper(), 5e-7);
    }

    /** A single system: every system at risk, variance (r − 1)/r³ = 0, so no bounds. */
    @Test
    void oneSystemHasNoVarianceAndNoBounds() {
        List<Mcf.Point> p = Mcf.estimate(new double[] {3, 7}, new double[] {10}, Mcf.Z95);
        assertEquals(2.0, p.get(1).mcf());
        assertEquals(0.0, p.get(1).variance());
        assertNull(p.get(1).lower());
    }

    /** A recurrence at a system's end age counts that system at risk (recurrences before ends at a tie). */
    @Test
    void recurrenceAtAnEndAgeCountsThatSystemAtRisk() {
        List<Mcf.Point> p = Mcf.estimate(new double[] {4, 10}, new double[] {10, 20}, Mcf.Z95);
        assertEquals(2, p.get(1).atRisk());
        assertEquals(1.0, p.get(1).mcf(), 1e-12);
    }
}
