package io.qualitylake.batch.reliability;

import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Gamma;

/**
 * Two-parameter Weibull maximum likelihood with right censoring (SPEC §4).
 *
 * <p>For failure times t_i (i in F, r = |F|) and all times t_j (failures and suspensions),
 * with x = t/η: ℓ(β, η) = r·ln β − rβ·ln η + (β−1)·Σ_F ln t_i − Σ_all x_j^β.
 * For a fixed β the likelihood is maximised by η(β) = (Σ_all t^β / r)^(1/β); substituting gives
 * the one-dimensional profile equation g(β) = 1/β + (1/r)·Σ_F ln t − Σ t^β ln t / Σ t^β = 0,
 * which is monotone decreasing in β and is solved with Brent's method. Bounds come from the
 * observed Fisher information (the negative Hessian of ℓ at the optimum), with the delta method on
 * the log scale so that they stay positive: θ·exp(±z·se(θ)/θ).
 */
public final class Weibull {
    /** Fewer distinct failure times than this → no fit (nulls with a reason). */
    public static final int MIN_DISTINCT_FAILURES = 2;
    private static final double Z95 = new NormalDistribution().inverseCumulativeProbability(0.975);

    /**
     * @param reason null when fitted, else why not ("fewer than 2 distinct failure times", ...)
     */
    public record Fit(int n, int failures, Double beta, Double betaLo, Double betaHi, Double eta, Double etaLo,
                      Double etaHi, Double b10, Double mttf, Double logLikelihood, Double seBeta, Double seEta,
                      String pattern, String reason) {
        static Fit none(int n, int r, String reason) {
            return new Fit(n, r, null, null, null, null, null, null, null, null, null, null, null, null, reason);
        }
    }

    private Weibull() {}

    /**
     * @param times  time in service of each unit (> 0)
     * @param failed true where the time is a failure, false where it is a suspension (censored)
     */
    public static Fit fit(double[] times, boolean[] failed) {
        int n = times.length;
        int r = 0;
        double sumLogF = 0;
        java.util.Set<Double> distinct = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            if (!(times[i] > 0) || !Double.isFinite(times[i])) {
                return Fit.none(n, 0, "non-positive or non-finite time in service");
            }
            if (failed[i]) {
                r++;
                sumLogF += Math.log(times[i]);
                distinct.add(times[i]);
            }
        }
        if (distinct.size() < MIN_DISTINCT_FAILURES) {
            return Fit.none(n, r, "fewer than " + MIN_DISTINCT_FAILURES + " distinct failure times");
        }
        // Scale times by their geometric mean for numerical stability (β is scale-free; η scales back).
        double logScale = 0;
        for (double t : times) {
            logScale += Math.log(t);
        }
        double scale = Math.exp(logScale / n);
        // ln x of the scaled times, once: each step of the solver then needs one exp per unit
        // (x^b = e^(b ln x)), not a pow and a log (a solve takes tens of steps over up to millions of units)
        double[] lx = new double[n];
        for (int i = 0; i < n; i++) {
            lx[i] = Math.log(times[i] / scale);
        }
        final int failures = r;
        final double meanLogF = sumLogF / r - Math.log(scale);
        double beta;
        try {
            beta = new BrentSolver(1e-12, 1e-14).solve(500, b -> profile(b, lx, meanLogF), 1e-3, 100);
        } catch (RuntimeException e) {
            return Fit.none(n, r, "likelihood has no finite maximum (" + e.getClass().getSimpleName() + ")");
        }
        double sumXb = 0;
        for (double l : lx) {
            sumXb += Math.exp(beta * l);
        }
        double eta = scale * Math.pow(sumXb / failures, 1 / beta);
        double[][] info = observedInformation(times, failed, beta, eta);
        double det = info[0][0] * info[1][1] - info[0][1] * info[1][0];
        double varBeta = info[1][1] / det;
        double varEta = info[0][0] / det;
        double seBeta = Math.sqrt(varBeta);
        double seEta = Math.sqrt(varEta);
        double wBeta = Math.exp(Z95 * seBeta / beta);
        double wEta = Math.exp(Z95 * seEta / eta);
        double betaLo = beta / wBeta;
        double betaHi = beta * wBeta;
        String pattern = betaHi < 1 ? "INFANT_MORTALITY" : betaLo > 1 ? "WEAR_OUT" : "RANDOM";
        return new Fit(n, failures, beta, betaLo, betaHi, eta, eta / wEta, eta * wEta, b10(beta, eta), mttf(beta, eta),
                logLikelihood(times, failed, beta, eta), seBeta, seEta, pattern, null);
    }

    /** g(β): the profile score; its root is the MLE of β (lx: ln of the scaled times). */
    private static double profile(double b, double[] lx, double meanLogF) {
        double s = 0;
        double sl = 0;
        for (double l : lx) {
            double p = Math.exp(b * l);
            s += p;
            sl += p * l;
        }
        return 1 / b + meanLogF - sl / s;
    }

    public static double logLikelihood(double[] t, boolean[] failed, double beta, double eta) {
        double ll = 0;
        for (int i = 0; i < t.length; i++) {
            double lz = Math.log(t[i] / eta);
            if (failed[i]) {
                ll += Math.log(beta / eta) + (beta - 1) * lz;
            }
            ll -= Math.exp(beta * lz);
        }
        return ll;
    }

    /** Negative Hessian of ℓ in (β, η) at the given point. */
    static double[][] observedInformation(double[] t, boolean[] failed, double beta, double eta) {
        int r = 0;
        double s = 0;
        double sl = 0;
        double sll = 0;
        for (int i = 0; i < t.length; i++) {
            if (failed[i]) {
                r++;
            }
            double lz = Math.log(t[i] / eta);
            double p = Math.exp(beta * lz);
            s += p;
            sl += p * lz;
            sll += p * lz * lz;
        }
        double dBB = -r / (beta * beta) - sll;
        double dEE = r * beta / (eta * eta) - beta * (beta + 1) / (eta * eta) * s;
        double dBE = -r / eta + s / eta + beta / eta * sl;
        return new double[][] {{-dBB, -dBE}, {-dBE, -dEE}};
    }

    /** B10: the time by which 10 % have failed, η(−ln 0.9)^(1/β). */
    public static double b10(double beta, double eta) {
        return eta * Math.pow(-Math.log(0.9), 1 / beta);
    }

    /** MTTF = η·Γ(1 + 1/β). */
    public static double mttf(double beta, double eta) {
        return eta * Math.exp(Gamma.logGamma(1 + 1 / beta));
    }
}
