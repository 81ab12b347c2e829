package io.qualitylake.batch.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Nelson's non-parametric mean cumulative function (MCF) of recurrences over many systems (SPEC §4
 * "Repairable systems"), in the form Weibull++ documents (ReliaWiki, "Non-Parametric Recurrent Event
 * Data Analysis"; Nelson 2003, "Recurrent Events Data Analysis for Product Repairs").
 *
 * <p>All recurrence and end-of-observation ages are ordered; at a tie recurrences come first, so a
 * system observed to age T is at risk for a recurrence at T. At each recurrence age t_k with r_k
 * systems at risk and d_k recurrences: M(t_k) = M(t_{k−1}) + d_k / r_k. Nelson's variance adds, per
 * recurrence, (1/r²)·[(1 − 1/r)² + (r − 1)(0 − 1/r)²] = (r − 1)/r³ (the recurrence's own system
 * deviates by 1 − 1/r from the mean increment, the r − 1 others by −1/r); tied recurrences are taken
 * one at a time, as Weibull++ does, so the age adds d_k(r_k − 1)/r_k³. Bounds are log-transformed and
 * stay positive: M·exp(±z·√Var / M).
 */
public final class Mcf {
    public static final double Z95 = 1.959963984540054;

    /** One row of the MCF table: a distinct recurrence age. Bounds are null where the variance is 0. */
    public record Point(double t, int atRisk, int events, double mcf, double variance, Double lower, Double upper) {}

    private Mcf() {}

    /**
     * @param recurrenceAges every recurrence's age (all systems pooled; ages ≥ 0)
     * @param endAges        each system's end-of-observation age (one per system)
     * @param z              the normal quantile of the bounds (1.96 for two-sided 95 %)
     */
    public static List<Point> estimate(double[] recurrenceAges, double[] endAges, double z) {
        double[] rec = recurrenceAges.clone();
        double[] ends = endAges.clone();
        Arrays.sort(rec);
        Arrays.sort(ends);
        List<Point> out = new ArrayList<>();
        int endIdx = 0; // ends strictly before the current age have left the risk set
        double m = 0;
        double var = 0;
        int i = 0;
        while (i < rec.length) {
            double t = rec[i];
            int d = 0;
            while (i < rec.length && rec[i] == t) {
                d++;
                i++;
            }
            while (endIdx < ends.length && ends[endIdx] < t) {
                endIdx++;
            }
            int r = ends.length - endIdx;
            if (r <= 0) {
                continue; // a recurrence after every system's end of observation: not estimable, skipped
            }
            m += (double) d / r;
            var += d * (r - 1.0) / ((double) r * r * r);
            Double lo = null;
            Double hi = null;
            if (var > 0) {
                double w = Math.exp(z * Math.sqrt(var) / m);
                lo = m / w;
                hi = m * w;
            }
            out.add(new Point(t, r, d, m, var, lo, hi));
        }
        return out;
    }
}
