package io.qualitylake.batch.capability;

import io.qualitylake.spc.ChartConstants;
import io.qualitylake.spc.ControlChart;
import io.qualitylake.spc.Subgroup;
import java.util.List;

/**
 * Process capability of one characteristic over one period (SPEC §4): σ_within from subgroup ranges
 * (R̄ᵢ/d₂(kᵢ), or MR̄/1.128 of consecutive values when every subgroup is a single value), σ_overall
 * the sample standard deviation of all values, and Cp/Cpk/Pp/Ppk with one-sided specs handled.
 * Every undefined case gives nulls and a reason, never an exception or an infinity.
 */
public final class Capability {
    private Capability() {}

    /** σ_within, σ_overall, the indices and why any of them is null. */
    public record Result(long n, int subgroups, double mean, Double sigmaWithin, Double sigmaOverall,
                         Double cp, Double cpk, Double pp, Double ppk, Double lsl, Double usl, String reason) {}

    /** Indices of one σ: potential (two-sided only) and actual (the defined side, or the worse side). */
    record Indices(Double potential, Double actual, String reason) {}

    /**
     * @param subgroups in time order (at least one)
     * @param lsl       lower spec limit in force (null: one-sided)
     * @param usl       upper spec limit in force (null: one-sided)
     */
    public static Result of(List<Subgroup> subgroups, Double lsl, Double usl) {
        long n = 0;
        double sum = 0;
        for (Subgroup g : subgroups) {
            n += g.k();
            sum += g.k() * g.mean();
        }
        double mean = sum / n;
        double m2 = 0;
        for (Subgroup g : subgroups) { // exact pooling: within + between sums of squares
            m2 += g.m2() + g.k() * (g.mean() - mean) * (g.mean() - mean);
        }
        Double overall = n >= 2 ? Math.sqrt(m2 / (n - 1)) : null;
        Double within = sigmaWithin(subgroups);

        String reason = null;
        if (n < 2) {
            reason = "single value: no spread to estimate";
        } else if (within == null) {
            reason = "no within-subgroup spread estimate (one subgroup of one value per period?)";
        }
        Indices w = indices(mean, within, lsl, usl);
        Indices o = indices(mean, overall, lsl, usl);
        reason = reason != null ? reason : w.reason() != null ? w.reason() : o.reason();
        return new Result(n, subgroups.size(), mean, within, overall, w.potential(), w.actual(), o.potential(), o.actual(),
                lsl, usl, reason);
    }

    /**
     * Mean of Rᵢ/d₂(kᵢ) over subgroups with kᵢ ≥ 2 (mixed sizes each use their own d₂); when all are
     * single values, MR̄/d₂(2) of consecutive values; null when neither exists.
     */
    static Double sigmaWithin(List<Subgroup> subgroups) {
        double sum = 0;
        int m = 0;
        for (Subgroup g : subgroups) {
            if (g.k() >= 2) {
                sum += g.range() / ChartConstants.d2(g.k());
                m++;
            }
        }
        if (m > 0) {
            return sum / m;
        }
        Double mr = ControlChart.meanMovingRange(subgroups);
        return mr == null ? null : mr / ChartConstants.d2(2);
    }

    static Indices indices(double mean, Double sigma, Double lsl, Double usl) {
        if (lsl == null && usl == null) {
            return new Indices(null, null, "no spec limits");
        }
        if (lsl != null && usl != null && !(lsl < usl)) {
            return new Indices(null, null, "inverted spec limits (lsl " + lsl + " >= usl " + usl + ")");
        }
        if (sigma == null) {
            return new Indices(null, null, null);
        }
        if (sigma == 0) {
            return new Indices(null, null, "constant process (sigma = 0): indices undefined");
        }
        Double upper = usl == null ? null : (usl - mean) / (3 * sigma);
        Double lower = lsl == null ? null : (mean - lsl) / (3 * sigma);
        Double potential = lsl != null && usl != null ? (usl - lsl) / (6 * sigma) : null;
        Double actual = upper == null ? lower : lower == null ? upper : Math.min(upper, lower);
        return new Indices(potential, actual, null);
    }
}
