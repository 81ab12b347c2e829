package io.qualitylake.batch.benchmarks;

import java.util.Arrays;

/**
 * Where one value stands among its peers (SPEC §5 benchmarks), direction-aware: percentile
 * (100 = best), robust z = (x − median)/(1.4826·MAD), best-in-class = the 90th percentile in the good
 * direction (linear interpolation between order statistics, Hyndman–Fan type 7, R's default), the
 * relative gap to it, and the quartile (1 = best).
 */
public final class PeerStats {
    private PeerStats() {}

    /** MAD scale factor that makes the MAD a consistent estimator of σ for normal data. */
    public static final double MAD_SCALE = 1.4826;

    public record Standing(double percentile, Double robustZ, double median, double bestInClass, Double gapToBest, int quartile) {}

    /** Quantile q ∈ [0, 1] of sorted values, type 7. */
    static double quantile(double[] sorted, double q) {
        double h = (sorted.length - 1) * q;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * @param peers          every peer's value, including {@code x}
     * @param higherIsBetter the KPI's good direction
     */
    public static Standing of(double x, double[] peers, boolean higherIsBetter) {
        double[] sorted = peers.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = quantile(sorted, 0.5);
        double[] dev = new double[n];
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(sorted[i] - median);
        }
        Arrays.sort(dev);
        double mad = quantile(dev, 0.5);
        Double z = mad > 0 ? (x - median) / (MAD_SCALE * mad) : null;
        // share of the other peers that x is better than (ties count half)
        double better = 0;
        for (double v : sorted) {
            if (higherIsBetter ? x > v : x < v) {
                better += 1;
            } else if (x == v) {
                better += 0.5;
            }
        }
        better -= 0.5; // x itself was counted as a tie
        double percentile = n == 1 ? 100 : 100 * better / (n - 1);
        double best = quantile(sorted, higherIsBetter ? 0.9 : 0.1);
        Double gap = best == 0 ? null : (higherIsBetter ? best - x : x - best) / Math.abs(best);
        int quartile = percentile >= 75 ? 1 : percentile >= 50 ? 2 : percentile >= 25 ? 3 : 4;
        return new Standing(percentile, z, median, best, gap, quartile);
    }
}
