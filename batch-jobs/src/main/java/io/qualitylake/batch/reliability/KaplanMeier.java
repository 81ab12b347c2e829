package io.qualitylake.batch.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Kaplan–Meier estimate with Greenwood's variance and 95 % bounds on the log-log scale (SPEC §4).
 * At each distinct failure time t: S(t) = Π (1 − d/n); Var[S] = S² Σ d/(n(n − d)) (Greenwood);
 * log-log bounds S^exp(±z·σ/ln S) with σ² = Σ d/(n(n − d)) / (ln S)², which stay inside [0, 1].
 * Ties: failures at t leave before suspensions at t (the usual convention).
 */
public final class KaplanMeier {
    private static final double Z95 = new NormalDistribution().inverseCumulativeProbability(0.975);

    /** One step of the curve. {@code stdErr} is Greenwood's standard error of S; bounds null where undefined. */
    public record Point(double t, int atRisk, int failures, double survival, double stdErr, Double lower, Double upper,
                        Double logLower, Double logUpper) {}

    private KaplanMeier() {}

    public static List<Point> estimate(double[] times, boolean[] failed) {
        Integer[] order = new Integer[times.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> times[i]).thenComparing(i -> failed[i] ? 0 : 1));
        List<Point> out = new ArrayList<>();
        int atRisk = times.length;
        double s = 1;
        double greenwood = 0;
        int i = 0;
        while (i < order.length) {
            double t = times[order[i]];
            int d = 0;
            int c = 0;
            while (i < order.length && times[order[i]] == t) {
                if (failed[order[i]]) {
                    d++;
                } else {
                    c++;
                }
                i++;
            }
            if (d > 0) {
                s *= 1.0 - (double) d / atRisk;
                if (atRisk > d) {
                    greenwood += (double) d / ((double) atRisk * (atRisk - d));
                } else {
                    greenwood = Double.NaN; // S reaches 0: variance undefined
                }
                double se = s * Math.sqrt(greenwood);
                Double lo = null;
                Double hi = null;
                Double logLo = null;
                Double logHi = null;
                if (s > 0 && s < 1 && Double.isFinite(greenwood)) {
                    double ls = Math.log(s);
                    double sigma = Math.sqrt(greenwood) / Math.abs(ls);
                    lo = Math.pow(s, Math.exp(Z95 * sigma));
                    hi = Math.pow(s, Math.exp(-Z95 * sigma));
                    logLo = s * Math.exp(-Z95 * Math.sqrt(greenwood));
                    logHi = Math.min(1.0, s * Math.exp(Z95 * Math.sqrt(greenwood)));
                }
                out.add(new Point(t, atRisk, d, s, se, lo, hi, logLo, logHi));
            }
            atRisk -= d + c;
        }
        return out;
    }
}
