package io.qualitylake.batch.capability;

import java.util.ArrayList;
import java.util.List;

/**
 * Capability of a characteristic whose values may not be normal (SPEC §4): an Anderson–Darling
 * normality test on the period's values and, where normality is rejected (p &lt; 0.05), percentile
 * indices (ISO 22514-2 / Clements 1989) from the best-fitting candidate distribution, the one with
 * the smallest A²:
 * cp_pct = (USL − LSL) / (X₀.₉₉₈₆₅ − X₀.₀₀₁₃₅),
 * cpk_pct = min((USL − X₀.₅) / (X₀.₉₉₈₆₅ − X₀.₅), (X₀.₅ − LSL) / (X₀.₅ − X₀.₀₀₁₃₅)) (the defined side
 * with one-sided specs); ppm_expected = 10⁶·(F(LSL) + 1 − F(USL)) under the chosen distribution
 * (under the normal when normality is not rejected). Candidates that need positive values are
 * ineligible, with a note, when any value is ≤ 0.
 */
public final class NonNormalCapability {
    public static final int MIN_VALUES = 8;
    public static final double ALPHA = 0.05;
    static final double P_LO = 0.00135;
    static final double P_HI = 0.99865;

    /**
     * @param distribution NORMAL when normality is not rejected, else the best-fitting candidate
     * @param cpPct        null unless normality is rejected and both limits exist
     */
    public record Result(String distribution, Double normalityP, Double cpPct, Double cpkPct, Double ppmExpected,
                         String note) {
        static Result none(String note) {
            return new Result(null, null, null, null, null, note);
        }
    }

    private NonNormalCapability() {}

    public static Result analyse(double[] values, Double lsl, Double usl) {
        int n = values.length;
        if (n < MIN_VALUES) {
            return Result.none("fewer than " + MIN_VALUES + " values: no normality test");
        }
        double[] ms = FittedDistribution.meanSd(values);
        if (!(ms[1] > 0)) {
            return Result.none("constant values: no normality test");
        }
        FittedDistribution normal = FittedDistribution.normal(values);
        double a2 = AndersonDarling.statistic(values, normal::cdf);
        double p = AndersonDarling.normalityP(AndersonDarling.adjusted(a2, n));
        if (p >= ALPHA) {
            return new Result("NORMAL", p, null, null, ppm(normal, lsl, usl), null);
        }
        List<String> notes = new ArrayList<>();
        FittedDistribution best = normal;
        double bestA2 = a2;
        boolean positive = true;
        for (double v : values) {
            positive &= v > 0;
        }
        if (!positive) {
            notes.add("LOGNORMAL, WEIBULL, BOX_COX ineligible: non-positive values");
        } else {
            List<FittedDistribution> candidates = new ArrayList<>();
            candidates.add(FittedDistribution.lognormal(values));
            FittedDistribution w = FittedDistribution.weibull(values);
            if (w == null) {
                notes.add("WEIBULL: no maximum likelihood fit");
            } else {
                candidates.add(w);
            }
            candidates.add(FittedDistribution.boxCox(values));
            for (FittedDistribution c : candidates) {
                double a = AndersonDarling.statistic(values, c::cdf);
                if (a < bestA2 && Double.isFinite(c.quantile(P_LO)) && Double.isFinite(c.quantile(P_HI))) {
                    best = c;
                    bestA2 = a;
                }
            }
        }
        Double[] idx = percentileIndices(best, lsl, usl);
        if (lsl == null && usl == null) {
            notes.add("no spec limits");
        }
        return new Result(best.name(), p, idx[0], idx[1], ppm(best, lsl, usl), notes.isEmpty() ? null : String.join("; ", notes));
    }

    /** {cp_pct, cpk_pct} of a fitted distribution (null where a limit is missing). */
    static Double[] percentileIndices(FittedDistribution d, Double lsl, Double usl) {
        double lo = d.quantile(P_LO);
        double med = d.quantile(0.5);
        double hi = d.quantile(P_HI);
        Double cp = lsl != null && usl != null ? (usl - lsl) / (hi - lo) : null;
        Double upper = usl == null ? null : (usl - med) / (hi - med);
        Double lower = lsl == null ? null : (med - lsl) / (med - lo);
        Double cpk = upper == null ? lower : lower == null ? upper : Math.min(upper, lower);
        return new Double[] {cp, cpk};
    }

    static Double ppm(FittedDistribution d, Double lsl, Double usl) {
        if (lsl == null && usl == null) {
            return null;
        }
        double out = (lsl == null ? 0 : d.cdf(lsl)) + (usl == null ? 0 : 1 - d.cdf(usl));
        return out * 1e6;
    }
}
