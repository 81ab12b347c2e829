package io.qualitylake.spc;

/**
 * The exponentially weighted moving average chart (Roberts 1959; Montgomery, Introduction to SQC,
 * §9.2; NIST/SEMATECH e-Handbook §6.3.2.4): zᵢ = λxᵢ + (1 − λ)zᵢ₋₁ with z₀ = μ₀, and the exact
 * (time-varying) limits μ₀ ± Lσ√(λ/(2 − λ)·[1 − (1 − λ)²ⁱ]), which widen to the asymptotic
 * μ₀ ± Lσ√(λ/(2 − λ)). σ is the standard deviation of one plotted point (σ/√n for means of n).
 */
public final class Ewma {
    private Ewma() {}

    /**
     * @param lambda weight of the newest point, 0 &lt; λ ≤ 1 (λ = 1 is a Shewhart chart)
     * @param width  L, the limit width in σ of the statistic, &gt; 0
     */
    public record Params(double lambda, double width) implements java.io.Serializable {
        public Params {
            if (!(lambda > 0 && lambda <= 1)) {
                throw new IllegalArgumentException("EWMA lambda must be in (0, 1], got " + lambda);
            }
            if (!(width > 0) || Double.isInfinite(width)) {
                throw new IllegalArgumentException("EWMA L must be a positive number, got " + width);
            }
        }
    }

    /**
     * One point of the chart.
     *
     * @param i         1-based index of the point since the chart (re)started
     * @param statistic zᵢ, in the units of the data
     * @param z         (zᵢ − μ₀) / σ_zᵢ: how many of its own σ the statistic is from the target
     * @param signal    zᵢ outside [lcl, ucl]
     */
    public record Point(int i, double statistic, double lcl, double ucl, double z, boolean signal) {}

    /** σ of the statistic at point {@code i}, in units of the data's σ. */
    public static double sigmaFactor(double lambda, int i) {
        return Math.sqrt(lambda / (2 - lambda) * (1 - Math.pow(1 - lambda, 2.0 * i)));
    }

    /**
     * @param previous zᵢ₋₁ (μ₀ for the first point)
     * @param i        1-based index of {@code x}
     */
    public static Point next(Params p, double target, double sigma, int i, double previous, double x) {
        double statistic = p.lambda() * x + (1 - p.lambda()) * previous;
        double sd = sigma * sigmaFactor(p.lambda(), i);
        double half = p.width() * sd;
        double lcl = target - half;
        double ucl = target + half;
        double z = sd > 0 ? (statistic - target) / sd : 0;
        return new Point(i, statistic, lcl, ucl, z, statistic > ucl || statistic < lcl);
    }
}
