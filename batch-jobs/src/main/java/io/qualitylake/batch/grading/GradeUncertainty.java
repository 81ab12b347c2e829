package io.qualitylake.batch.grading;

import io.qualitylake.grading.Rubric;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;

/**
 * Sampling uncertainty of the line-grade indicators (pure Java, per line-month, from its windowed
 * counts). Two things:
 * <ul>
 *   <li>95 % intervals per indicator: exact binomial (Clopper–Pearson) for fpy; exact Poisson
 *       (Garwood) for dpmo on the defect count and for AFR on the failure count (the peer median
 *       held fixed; {@link LineGrader} replaces it with a percentile interval of draws that redraw
 *       the median too, when the rows are the median's peer group, as in the job); Garwood on the count of loss events for the quality-loss rate (each event
 *       taken at the line's mean cost); percentile bootstrap for the critical-Cpk share.</li>
 *   <li>Parametric-bootstrap draws of every indicator, from which the score, grade and rank are
 *       recomputed: fpy ~ Beta(x + ½, n − x + ½), a count k ~ Gamma(k + ½) (Jeffreys), and each
 *       critical characteristic's Cpk ~ N(Ĉpk, SE²) with Bissell's SE² = 1/(9n) + Ĉpk²/(2(n − 1)),
 *       counted capable at ≥ 1.33 in each draw.</li>
 * </ul>
 * Draws come from a generator seeded by the line and period alone, so a line-month gets the same
 * draws whatever the partitioning or the other lines (reruns and incremental builds agree).
 */
public final class GradeUncertainty {
    private GradeUncertainty() {}

    public static final double LEVEL = 0.95;
    private static final double A = (1 - LEVEL) / 2;

    /** One line-month's windowed evidence. cpk[i], n[i]: the critical characteristic-months of the window. */
    public record Evidence(String lineId, String period, long units, long wUnits, long wFirstPass, double wDefects,
                           double wOpportunities, double wLoss, double wOutputValue, double wLossEvents, double wUnitDays,
                           long wFailures, double[] cpk, long[] n, Double peerMedianAfr) {}

    /** Indicator order used by the draw arrays (that of {@link Rubric#KNOWN}). */
    public static final int FPY = 0;
    public static final int CPK = 1;
    public static final int DPMO = 2;
    public static final int AFR = 3;
    public static final int QLR = 4;

    /** Point values in {@link Rubric#KNOWN} order (null where the evidence gives none). */
    public static Double[] values(Evidence e) {
        Double[] v = new Double[5];
        v[FPY] = e.wUnits() > 0 ? (double) e.wFirstPass() / e.wUnits() : null;
        if (e.cpk().length > 0) {
            v[CPK] = (double) Arrays.stream(e.cpk()).filter(c -> c >= MonthlyRates.CPK_CAPABLE).count() / e.cpk().length;
        }
        v[DPMO] = e.wOpportunities() > 0 ? e.wDefects() / e.wOpportunities() * 1e6 : null;
        Double afr = afrPct(e.wFailures(), e.wUnitDays());
        v[AFR] = afr != null && e.peerMedianAfr() != null && e.peerMedianAfr() > 0 ? afr / e.peerMedianAfr() : null;
        v[QLR] = e.wOutputValue() > 0 ? e.wLoss() / e.wOutputValue() * 100 : null;
        return v;
    }

    static Double afrPct(double failures, double unitDays) {
        return unitDays > 0 ? failures / (unitDays / 365.0) * 100 : null;
    }

    // ---- analytic intervals ----

    /** Clopper–Pearson 95 % interval of x successes in n trials; null without trials. */
    public static double[] binomial(long x, long n) {
        if (n <= 0) {
            return null;
        }
        // commons-math3 rejects the degenerate ends; their exact bounds are closed-form
        if (x == 0) {
            return new double[] {0, 1 - Math.pow(A, 1.0 / n)};
        }
        if (x == n) {
            return new double[] {Math.pow(A, 1.0 / n), 1};
        }
        ConfidenceInterval ci = new ClopperPearsonInterval().createInterval((int) Math.min(n, Integer.MAX_VALUE), (int) x, LEVEL);
        return new double[] {ci.getLowerBound(), ci.getUpperBound()};
    }

    /** Garwood exact 95 % interval of a Poisson mean from an observed count k: Gamma quantiles. */
    public static double[] poisson(double k) {
        double lo = k <= 0 ? 0 : new GammaDistribution(null, k, 1).inverseCumulativeProbability(A);
        double hi = new GammaDistribution(null, k + 1, 1).inverseCumulativeProbability(1 - A);
        return new double[] {lo, hi};
    }

    /** Analytic 95 % intervals per indicator (index as in {@link Rubric#KNOWN}); the Cpk share's comes from draws. */
    public static double[][] intervals(Evidence e, double[][] draws) {
        double[][] ci = new double[5][];
        double[] b = binomial(e.wFirstPass(), e.wUnits());
        ci[FPY] = b;
        if (e.wOpportunities() > 0) {
            double[] p = poisson(Math.rint(e.wDefects()));
            ci[DPMO] = new double[] {p[0] / e.wOpportunities() * 1e6, p[1] / e.wOpportunities() * 1e6};
        }
        Double[] v = values(e);
        if (v[AFR] != null) {
            double[] p = poisson(e.wFailures());
            ci[AFR] = new double[] {afrPct(p[0], e.wUnitDays()) / e.peerMedianAfr(), afrPct(p[1], e.wUnitDays()) / e.peerMedianAfr()};
        }
        if (v[QLR] != null && e.wLossEvents() > 0) {
            double[] p = poisson(e.wLossEvents());
            ci[QLR] = new double[] {v[QLR] * p[0] / e.wLossEvents(), v[QLR] * p[1] / e.wLossEvents()};
        }
        if (v[CPK] != null) {
            ci[CPK] = percentiles(draws[CPK]);
        }
        return ci;
    }

    /** The 2.5 % and 97.5 % points of draws (NaN draws ignored); null when there are none. */
    public static double[] percentiles(double[] draws) {
        double[] d = Arrays.stream(draws).filter(x -> !Double.isNaN(x)).sorted().toArray();
        if (d.length == 0) {
            return null;
        }
        return new double[] {quantile(d, A), quantile(d, 1 - A)};
    }

    /** Type-7 (linear interpolation) quantile of sorted values. */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    // ---- draws ----

    /** A generator seeded from the line and period only (stable across JVMs: String bytes, not identity). */
    static RandomGenerator rng(String lineId, String period) {
        byte[] k = (lineId + "|" + period).getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L; // FNV-1a 64
        for (byte x : k) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        return new Well19937c(new int[] {(int) h, (int) (h >>> 32)});
    }

    /** Bissell's (1990) large-sample variance of an estimated Cpk from n values. */
    public static double cpkVariance(double cpk, long n) {
        return n < 2 ? Double.POSITIVE_INFINITY : 1.0 / (9 * n) + cpk * cpk / (2.0 * (n - 1));
    }

    /**
     * {@code draws} parametric-bootstrap values of each indicator: [indicator][draw], NaN rows where
     * the indicator has no data.
     */
    public static double[][] draws(Evidence e, int draws) {
        RandomGenerator r = rng(e.lineId(), e.period());
        Double[] v = values(e);
        double[][] d = new double[5][draws];
        for (double[] row : d) {
            Arrays.fill(row, Double.NaN);
        }
        if (v[FPY] != null) {
            GammaDistribution pass = new GammaDistribution(r, e.wFirstPass() + 0.5, 1);
            GammaDistribution fail = new GammaDistribution(r, e.wUnits() - e.wFirstPass() + 0.5, 1);
            for (int b = 0; b < draws; b++) {
                double x = pass.sample();
                d[FPY][b] = x / (x + fail.sample());
            }
        }
        if (v[CPK] != null) {
            double[] sd = new double[e.cpk().length];
            for (int i = 0; i < sd.length; i++) {
                sd[i] = Math.sqrt(cpkVariance(e.cpk()[i], e.n()[i]));
            }
            for (int b = 0; b < draws; b++) {
                int capable = 0;
                for (int i = 0; i < sd.length; i++) {
                    double c = Double.isInfinite(sd[i]) ? e.cpk()[i] : e.cpk()[i] + sd[i] * r.nextGaussian();
                    capable += c >= MonthlyRates.CPK_CAPABLE ? 1 : 0;
                }
                d[CPK][b] = (double) capable / sd.length;
            }
        }
        if (v[DPMO] != null) {
            GammaDistribution k = new GammaDistribution(r, Math.rint(e.wDefects()) + 0.5, 1);
            for (int b = 0; b < draws; b++) {
                d[DPMO][b] = k.sample() / e.wOpportunities() * 1e6;
            }
        }
        if (v[AFR] != null) {
            GammaDistribution k = new GammaDistribution(r, e.wFailures() + 0.5, 1);
            for (int b = 0; b < draws; b++) {
                d[AFR][b] = afrPct(k.sample(), e.wUnitDays()) / e.peerMedianAfr();
            }
        }
        if (v[QLR] != null) {
            if (e.wLossEvents() > 0) {
                GammaDistribution k = new GammaDistribution(r, e.wLossEvents() + 0.5, 1);
                for (int b = 0; b < draws; b++) {
                    d[QLR][b] = v[QLR] * k.sample() / e.wLossEvents();
                }
            } else {
                Arrays.fill(d[QLR], v[QLR]);
            }
        }
        return d;
    }

    /** Sample variance of the non-NaN draws (the indicator's sampling variance, for shrinkage). */
    static double variance(double[] draws) {
        double[] d = Arrays.stream(draws).filter(x -> !Double.isNaN(x)).toArray();
        if (d.length < 2) {
            return Double.NaN;
        }
        double m = Arrays.stream(d).average().orElse(0);
        return Arrays.stream(d).map(x -> (x - m) * (x - m)).sum() / (d.length - 1);
    }
}
