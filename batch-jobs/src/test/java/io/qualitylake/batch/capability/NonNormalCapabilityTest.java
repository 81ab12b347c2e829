package io.qualitylake.batch.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Anderson–Darling normality and percentile capability on SAS/QC's plate-gap data, against SAS's
 * printed normal-theory indices, SciPy 1.17 (an independent implementation) and the closed forms.
 */
class NonNormalCapabilityTest {
    /**
     * SAS/QC User's Guide, PROC CAPABILITY Examples 5.9–5.11 ("Plates", sample CAPIND): 50 plate gaps
     * in cm, LSL 0.3, USL 0.8. Output 5.11.1 prints the normal-theory Cp 0.237112, CPL 0.316422, CPU
     * 0.157803 and warns that normality is rejected at α = 0.05; the example then computes indices from
     * a fitted lognormal.
     */
    static final double[] GAP = {
        0.746, 0.357, 0.376, 0.327, 0.485, 1.741, 0.241, 0.777, 0.768, 0.409,
        0.252, 0.512, 0.534, 1.656, 0.742, 0.378, 0.714, 1.121, 0.597, 0.231,
        0.541, 0.805, 0.682, 0.418, 0.506, 0.501, 0.247, 0.922, 0.880, 0.344,
        0.519, 1.302, 0.275, 0.601, 0.388, 0.450, 0.845, 0.319, 0.486, 0.529,
        1.547, 0.690, 0.676, 0.314, 0.736, 0.643, 0.483, 0.352, 0.636, 1.080,
    };

    /** The data are SAS's: the normal-theory indices reproduce Output 5.11.1 to its six printed digits. */
    @Test
    void dataReproduceSasNormalTheoryIndices() {
        double[] ms = FittedDistribution.meanSd(GAP);
        assertEquals(0.237112, 0.5 / (6 * ms[1]), 5e-7);
        assertEquals(0.316422, (ms[0] - 0.3) / (3 * ms[1]), 5e-7);
        assertEquals(0.157803, (0.8 - ms[0]) / (3 * ms[1]), 5e-7);
    }

    /**
     * A² against a normal with x̄ and s: SciPy's scipy.stats.anderson(GAP, 'norm').statistic =
     * 2.1028032499140963. A* = A²(1 + 0.75/50 + 2.25/2500) = 2.1362378; D'Agostino–Stephens for
     * A* ≥ 0.6: p = exp(1.2937 − 5.709·2.1362378 + 0.0186·2.1362378²) = 2.00516e-5 — normality
     * rejected, as SAS reports.
     */
    @Test
    void andersonDarlingRejectsNormality() {
        FittedDistribution normal = FittedDistribution.normal(GAP);
        double a2 = AndersonDarling.statistic(GAP, normal::cdf);
        assertEquals(2.1028032499140963, a2, 1e-10);
        assertEquals(2.1362378215877227, AndersonDarling.adjusted(a2, 50), 1e-10);
        assertEquals(2.0051624206659605e-5, AndersonDarling.normalityP(AndersonDarling.adjusted(a2, 50)), 1e-12);
    }

    /**
     * The two-parameter lognormal (threshold 0) of the example: ζ̂ = mean ln x = −0.5837459,
     * σ̂ = s of ln x = 0.4995456; the percentiles exp(ζ̂ + σ̂·z_p) give by hand
     * Cp = 0.5/(X.99865 − X.00135) = 0.2108068, CPL = (X.5 − 0.3)/(X.5 − X.00135) = 0.5951580,
     * CPU = (0.8 − X.5)/(X.99865 − X.5) = 0.1249285 (Python's statistics.NormalDist for z_p).
     * SAS's Output 5.11.2 (its lognormal indices for these data) is not in any stored copy of the
     * page we could reach (every copy ends before it), so it is not asserted. For whoever can open
     * it: with σ̂ dividing by n (maximum likelihood, σ̂ = 0.494525) the same formulas give
     * Cp 0.214350, CPL 0.597768, CPU 0.127381; with n − 1 (ours) Cp 0.210807, CPL 0.595158,
     * CPU 0.124928 — SAS's six printed digits will say which convention it uses.
     */
    @Test
    void lognormalPercentileIndicesByHand() {
        Double[] idx = NonNormalCapability.percentileIndices(FittedDistribution.lognormal(GAP), 0.3, 0.8);
        assertEquals(0.21080678368669267, idx[0], 1e-9);
        assertEquals(0.12492847626467483, idx[1], 1e-9);
    }

    /**
     * SciPy as the oracle for the other candidates: the Weibull MLE solved with scipy.optimize.brentq
     * on the profile score (β = 1.9611595, η = 0.7192082; weibull_min.fit agrees to 3e-5, A² 1.1571)
     * gives cp_pct 0.2689787493, cpk_pct 0.1580295792; boxcox(GAP) gives λ = −0.250244 (A² 0.19336), lognormal A² 0.24308,
     * so Box-Cox fits best. Its percentile indices (y normal with mean and s, back-transformed):
     * cp_pct 0.15398730713, cpk_pct 0.09047887238, expected ppm 321943.796 (Φ of the transformed limits).
     * Tolerances 1e-5 relative: λ comes from two different optimisers.
     */
    @Test
    void bestCandidateIsChosenByTheAndersonDarlingStatistic() {
        NonNormalCapability.Result r = NonNormalCapability.analyse(GAP, 0.3, 0.8);
        assertEquals("BOX_COX", r.distribution());
        assertEquals(2.0051624206659605e-5, r.normalityP(), 1e-12);
        assertEquals(0.15398730713270198, r.cpPct(), 0.154 * 1e-5);
        assertEquals(0.09047887237833493, r.cpkPct(), 0.0905 * 1e-5);
        assertEquals(321943.79598597414, r.ppmExpected(), 321943 * 1e-5);
        assertNull(r.note());
        Double[] wb = NonNormalCapability.percentileIndices(FittedDistribution.weibull(GAP), 0.3, 0.8);
        assertEquals(0.26897874934261645, wb[0], 0.269 * 1e-8);
        assertEquals(0.15802957920292543, wb[1], 0.158 * 1e-8);
        assertEquals(0.24308402459004697, AndersonDarling.statistic(GAP, FittedDistribution.lognormal(GAP)::cdf), 1e-10);
    }

    /**
     * SAS/QC User's Guide, HISTOGRAM statement, "Printed Output" (Figure 5.16, SAS/QC 13.2:
     * support.sas.com/documentation/cdl/en/qcug/67522/HTML/default/qcug_capability_sect148.htm;
     * Output 5.7.10 in SAS/QC 9.2): a two-parameter lognormal fitted to the widths of data set Hang
     * (LSL 13.95, USL 14.05) prints Zeta 2.638966, Sigma 0.001497, Est Pct &lt; LSL 0.992170,
     * Est Pct &gt; USL 0.728125 and "Capability Indices Based on Lognormal Distribution": Cp 0.795463,
     * CPL 0.776822, CPU 0.814021, Cpk 0.776822. The Hang data themselves are not printed anywhere we
     * could reach, so this feeds SAS's printed parameters (not data) through our lognormal and our
     * percentile-index and ppm code: it checks the definitions (X₀.₀₀₁₃₅, X₀.₅, X₀.₉₉₈₆₅ of the fitted
     * curve; tail areas under it) against SAS's printed digits. Tolerance: ζ and σ are printed to
     * ±5e-7, i.e. σ to ±3.3e-4 relative, which moves every printed figure by more than its last
     * digit, so each printed figure must lie inside the range our code gives over the four corners
     * of that rounding box (widened by half a unit of the printed figure's last digit). The box is
     * narrow (Cp ±2.7e-4, CPL/CPU ±3.8e-4, tail ±0.003 %): percentiles at 0.1/99.9 % instead of
     * 0.135/99.865 % would move Cp by 3 %. With σ this small the median and the mean of the curve
     * differ by only 1e-6 relative, so this example cannot tell a median-centred CPL/CPU (ours,
     * ISO 22514-2) from a mean-centred one.
     */
    @Test
    void sasPrintedLognormalIndicesFromItsPrintedParameters() {
        double[][] corners = {{2.638966 - 5e-7, 0.001497 - 5e-7}, {2.638966 - 5e-7, 0.001497 + 5e-7},
            {2.638966 + 5e-7, 0.001497 - 5e-7}, {2.638966 + 5e-7, 0.001497 + 5e-7}};
        double[] printed = {0.795463, 0.776822, 0.814021, 0.776822, 0.992170e4, 0.728125e4};
        double[] halfUnit = {5e-7, 5e-7, 5e-7, 5e-7, 5e-3, 5e-3};
        double[] lo = new double[6];
        double[] hi = new double[6];
        java.util.Arrays.fill(lo, Double.MAX_VALUE);
        java.util.Arrays.fill(hi, -Double.MAX_VALUE);
        for (double[] c : corners) {
            FittedDistribution d = FittedDistribution.lognormal(c[0], c[1]);
            Double[] both = NonNormalCapability.percentileIndices(d, 13.95, 14.05);
            double[] v = {
                both[0],
                NonNormalCapability.percentileIndices(d, 13.95, null)[1], // CPL alone
                NonNormalCapability.percentileIndices(d, null, 14.05)[1], // CPU alone
                both[1],
                NonNormalCapability.ppm(d, 13.95, null),                  // ppm below LSL
                NonNormalCapability.ppm(d, null, 14.05),                  // ppm above USL
            };
            for (int i = 0; i < 6; i++) {
                lo[i] = Math.min(lo[i], v[i]);
                hi[i] = Math.max(hi[i], v[i]);
            }
        }
        String[] names = {"Cp", "CPL", "CPU", "Cpk", "ppm < LSL", "ppm > USL"};
        for (int i = 0; i < 6; i++) {
            assertTrue(printed[i] >= lo[i] - halfUnit[i] && printed[i] <= hi[i] + halfUnit[i],
                    names[i] + " printed " + printed[i] + " outside [" + lo[i] + ", " + hi[i] + "]");
        }
        FittedDistribution nominal = FittedDistribution.lognormal(2.638966, 0.001497);
        assertEquals(0.992170e4 + 0.728125e4, NonNormalCapability.ppm(nominal, 13.95, 14.05), 70,
                "both tails: the sum of the printed percentages, within the box (±53 ppm) and rounding");
    }

    /**
     * SAS/QC User's Guide, HISTOGRAM statement, "Creating a Histogram with Specification Limits" and
     * "Adding a Normal Curve to the Histogram" (Figure 5.9, SAS/QC 13.2:
     * support.sas.com/documentation/cdl/en/qcug/67522/HTML/default/qcug_capability_sect120.htm and
     * sect121.htm; sample CAPHST1): 100 copper plating thicknesses (mils), LSL 3.45, USL 3.55, copied
     * below. SAS prints the fitted normal Mu 3.49533, Sigma 0.032117 and Anderson-Darling A-Sq
     * 0.27840748 with Pr &gt; A-Sq &gt; 0.250. Our A² (x̄ and s with n − 1, the same estimates)
     * reproduces the eight printed decimals (tolerance half a unit: 5e-9), and the normality test
     * keeps NORMAL (no percentile indices), as SAS's p-value says.
     */
    @Test
    void sasPrintedAndersonDarlingStatisticForPlatingThickness() {
        double[] thick = {
            3.468, 3.428, 3.509, 3.516, 3.461, 3.492, 3.478, 3.556, 3.482, 3.512,
            3.490, 3.467, 3.498, 3.519, 3.504, 3.469, 3.497, 3.495, 3.518, 3.523,
            3.458, 3.478, 3.443, 3.500, 3.449, 3.525, 3.461, 3.489, 3.514, 3.470,
            3.561, 3.506, 3.444, 3.479, 3.524, 3.531, 3.501, 3.495, 3.443, 3.458,
            3.481, 3.497, 3.461, 3.513, 3.528, 3.496, 3.533, 3.450, 3.516, 3.476,
            3.512, 3.550, 3.441, 3.541, 3.569, 3.531, 3.468, 3.564, 3.522, 3.520,
            3.505, 3.523, 3.475, 3.470, 3.457, 3.536, 3.528, 3.477, 3.536, 3.491,
            3.510, 3.461, 3.431, 3.502, 3.491, 3.506, 3.439, 3.513, 3.496, 3.539,
            3.469, 3.481, 3.515, 3.535, 3.460, 3.575, 3.488, 3.515, 3.484, 3.482,
            3.517, 3.483, 3.467, 3.467, 3.502, 3.471, 3.516, 3.474, 3.500, 3.466,
        };
        double[] ms = FittedDistribution.meanSd(thick);
        assertEquals(3.49533, ms[0], 5e-6);
        assertEquals(0.032117, ms[1], 5e-7);
        FittedDistribution normal = FittedDistribution.normal(thick);
        assertEquals(0.27840748, AndersonDarling.statistic(thick, normal::cdf), 5e-9);
        NonNormalCapability.Result r = NonNormalCapability.analyse(thick, 3.45, 3.55);
        assertEquals("NORMAL", r.distribution());
        assertTrue(r.normalityP() > 0.25, "SAS prints Pr > A-Sq > 0.250; ours " + r.normalityP());
        assertNull(r.cpPct());
    }

    /**
     * Blom normal scores (n = 20, mean 10, sd 1, rounded to 4 decimals): SciPy A² = 0.0458086,
     * A* = 0.0477841, p = 1 − exp(−13.436 + 101.14A* − 223.73A*²) = 0.99989: normal, no percentile
     * indices; ppm under the normal for limits 7, 13 = 1844.9356 (SciPy norm.cdf).
     */
    @Test
    void normalDataKeepNormalTheory() {
        double[] b = {8.1318, 8.5966, 8.8719, 9.0809, 9.2559, 9.4105, 9.5522, 9.6854, 9.8132, 9.9381,
            10.0619, 10.1868, 10.3146, 10.4478, 10.5895, 10.7441, 10.9191, 11.1281, 11.4034, 11.8682};
        NonNormalCapability.Result r = NonNormalCapability.analyse(b, 7.0, 13.0);
        assertEquals("NORMAL", r.distribution());
        assertEquals(0.9998898828061576, r.normalityP(), 1e-9);
        assertNull(r.cpPct());
        assertNull(r.cpkPct());
        assertEquals(1844.9356033670706, r.ppmExpected(), 1e-6);
    }

    @Test
    void nonPositiveValuesMakeThePositiveCandidatesIneligible() {
        double[] shifted = new double[GAP.length];
        for (int i = 0; i < GAP.length; i++) {
            shifted[i] = GAP[i] - 0.5; // some values ≤ 0
        }
        NonNormalCapability.Result r = NonNormalCapability.analyse(shifted, -0.2, 0.3);
        assertEquals("NORMAL", r.distribution(), "only the normal is eligible");
        assertTrue(r.normalityP() < 0.05);
        assertTrue(r.note().contains("non-positive"), r.note());
        assertEquals(0.237112, r.cpPct() * 0 + 0.5 / (6 * FittedDistribution.meanSd(shifted)[1]), 5e-7);
    }

    @Test
    void tooFewOrConstantValuesGiveNullsAndANote() {
        NonNormalCapability.Result few = NonNormalCapability.analyse(new double[] {1, 2, 3}, 0.0, 4.0);
        assertNull(few.distribution());
        assertTrue(few.note().contains("fewer than 8"));
        NonNormalCapability.Result flat = NonNormalCapability.analyse(new double[] {2, 2, 2, 2, 2, 2, 2, 2, 2}, 0.0, 4.0);
        assertNull(flat.normalityP());
        assertTrue(flat.note().contains("constant"));
    }
}
