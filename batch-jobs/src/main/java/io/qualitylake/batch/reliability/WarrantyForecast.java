package io.qualitylake.batch.reliability;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * Warranty forecast by conditional probability (SPEC §4; the method of the Weibull++ warranty folio
 * and Minitab's Warranty Prediction): a unit that has survived to age a without a claim fails in the
 * window (a + s, a + e] with probability Q = (R(a + s) − R(a + e)) / R(a), R the fitted Weibull
 * reliability; the window is cut at the end of the unit's warranty. A cell's expected claims are Σ Q
 * over its units at risk.
 *
 * <p>Prediction interval: the claims of a cell are a sum of independent Bernoulli(Q_i) given the
 * parameters (variance Σ Q(1 − Q)), and the parameters are themselves estimated (delta-method variance
 * gᵀΣg, g the gradient of the expected count in (β, η), Σ the inverse observed information of the
 * fit). The 90 % interval is the 5 % and 95 % quantiles of a count distribution with that mean and
 * variance: Poisson when the variance does not exceed the mean (a slightly conservative stand-in for
 * the Bernoulli sum), else the negative binomial (a gamma mixture of Poissons) with the same two
 * moments. Quantiles are whole claims, so coverage is at least the nominal level under the model.
 */
public final class WarrantyForecast {
    public static final double PI_LEVEL = 0.90;

    private WarrantyForecast() {}

    /** Weibull reliability R(t) = exp(−(t/η)^β). */
    public static double reliability(double beta, double eta, double t) {
        return t <= 0 ? 1.0 : Math.exp(-Math.pow(t / eta, beta));
    }

    /**
     * Q: the probability that a unit that survived to {@code age} fails in (from, to] (ages), zero when
     * the window is empty. Computed from cumulative hazards so that it stays accurate for tiny Q.
     */
    public static double conditionalFailure(double beta, double eta, double age, double from, double to) {
        if (!(to > from)) {
            return 0;
        }
        double h0 = Math.pow(Math.max(age, 0) / eta, beta);
        double h1 = Math.pow(Math.max(from, 0) / eta, beta);
        double h2 = Math.pow(to / eta, beta);
        // (R(from) − R(to)) / R(age) = exp(−(h1 − h0)) · (1 − exp(−(h2 − h1)))
        return Math.exp(-(h1 - h0)) * -Math.expm1(-(h2 - h1));
    }

    /**
     * {@link #conditionalFailure} and its gradient in (β, η), in closed form: with h(x) = (x/η)^β,
     * ∂h/∂β = h·ln(x/η) and ∂h/∂η = −β·h/η, and Q = e^(h₀−h₁)·(1 − e^(h₁−h₂)) gives
     * ∂Q = e^(h₀−h₁)·(∂h₀ − ∂h₁)·(1 − e^(h₁−h₂)) − e^(h₀−h₁)·e^(h₁−h₂)·(∂h₁ − ∂h₂).
     * One logarithm and one exponential per age, where central differences took four more evaluations of Q
     * (12 powers) per unit and window.
     *
     * @param out {Q, ∂Q/∂β, ∂Q/∂η}; all zero when the window is empty
     */
    public static void conditionalFailureWithGradient(double beta, double eta, double age, double from, double to, double[] out) {
        if (!(to > from)) {
            out[0] = 0;
            out[1] = 0;
            out[2] = 0;
            return;
        }
        double[] h0 = hazardWithGradient(beta, eta, age);
        double[] h1 = hazardWithGradient(beta, eta, from);
        double[] h2 = hazardWithGradient(beta, eta, to);
        double a = Math.exp(-(h1[0] - h0[0]));
        double b = -Math.expm1(-(h2[0] - h1[0]));
        double c = 1 - b; // e^(h1 − h2)
        out[0] = a * b;
        out[1] = a * (h0[1] - h1[1]) * b - a * c * (h1[1] - h2[1]);
        out[2] = a * (h0[2] - h1[2]) * b - a * c * (h1[2] - h2[2]);
    }

    /** {H, ∂H/∂β, ∂H/∂η} of the Weibull cumulative hazard H = (x/η)^β; zero at x ≤ 0. */
    private static double[] hazardWithGradient(double beta, double eta, double x) {
        if (x <= 0) {
            return new double[3];
        }
        double l = Math.log(x / eta);
        double h = Math.exp(beta * l);
        return new double[] {h, h * l, -beta * h / eta};
    }

    /**
     * The window of a unit at risk: from age + s to age + e, cut at its warranty end.
     *
     * @return {from, to} as ages, or null when the warranty ends before the window starts
     */
    public static double[] window(double age, double warrantyEnd, double s, double e) {
        double from = age + s;
        if (from >= warrantyEnd) {
            return null;
        }
        return new double[] {from, Math.min(age + e, warrantyEnd)};
    }

    /** The delta-method variance gᵀΣg, Σ = the inverse of the 2×2 observed information. */
    public static double parameterVariance(double[][] information, double dBeta, double dEta) {
        double det = information[0][0] * information[1][1] - information[0][1] * information[1][0];
        if (!(det > 0)) {
            return 0;
        }
        double vBB = information[1][1] / det;
        double vEE = information[0][0] / det;
        double vBE = -information[0][1] / det;
        return dBeta * dBeta * vBB + 2 * dBeta * dEta * vBE + dEta * dEta * vEE;
    }

    /**
     * The {@link #PI_LEVEL} prediction interval of a count with this mean and variance: {lo, hi} such
     * that P(Y < lo) ≤ 5 % and P(Y > hi) ≤ 5 %.
     */
    public static long[] interval(double mean, double variance) {
        double tail = (1 - PI_LEVEL) / 2;
        if (!(mean > 0)) {
            return new long[] {0, 0};
        }
        return new long[] {quantile(mean, variance, tail), quantile(mean, variance, 1 - tail)};
    }

    /** The smallest k with P(Y ≤ k) ≥ p (Poisson, or negative binomial when over-dispersed). */
    static long quantile(double mean, double variance, double p) {
        boolean poisson = variance <= mean * (1 + 1e-9);
        double r = poisson ? Double.NaN : mean * mean / (variance - mean);
        double q = poisson ? Double.NaN : r / (r + mean);
        long start = (long) Math.max(0, Math.floor(mean - 8 * Math.sqrt(Math.max(variance, mean))));
        for (long k = start; ; k++) {
            double cdf = poisson ? Gamma.regularizedGammaQ(k + 1.0, mean) : Beta.regularizedBeta(q, r, k + 1.0);
            if (cdf >= p || k > 100 * (mean + 10 + Math.sqrt(variance) * 20)) {
                return k;
            }
        }
    }
}
