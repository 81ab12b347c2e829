package io.qualitylake.spc;

/**
 * The tabular (two one-sided) CUSUM (Page 1954; Montgomery, Introduction to SQC, §9.1; NIST/SEMATECH
 * e-Handbook §6.3.2.3): C⁺ᵢ = max(0, C⁺ᵢ₋₁ + xᵢ − (μ₀ + kσ)), C⁻ᵢ = max(0, C⁻ᵢ₋₁ + (μ₀ − kσ) − xᵢ),
 * both starting at 0; a side signals while its sum exceeds the decision interval hσ. Sums are not
 * reset after a signal, so a sustained shift is reported at each point it persists (as the handbook's
 * example marks every point from the first signal on).
 */
public final class Cusum {
    private Cusum() {}

    /**
     * @param k reference value (allowance) in σ units, ≥ 0 — usually half the shift to detect
     * @param h decision interval in σ units, &gt; 0
     */
    public record Params(double k, double h) implements java.io.Serializable {
        public Params {
            if (!(k >= 0) || Double.isInfinite(k)) {
                throw new IllegalArgumentException("CUSUM k must be a number >= 0, got " + k);
            }
            if (!(h > 0) || Double.isInfinite(h)) {
                throw new IllegalArgumentException("CUSUM h must be a positive number, got " + h);
            }
        }
    }

    /**
     * @param upper    C⁺ in the units of the data
     * @param lower    C⁻ in the units of the data (≥ 0; large when the process runs low)
     * @param decision H = hσ, the decision interval in the units of the data
     */
    public record Point(double upper, double lower, double decision, boolean signalUp, boolean signalDown) {}

    public static Point next(Params p, double target, double sigma, double upperPrevious, double lowerPrevious, double x) {
        double upper = Math.max(0, upperPrevious + x - (target + p.k() * sigma));
        double lower = Math.max(0, lowerPrevious + (target - p.k() * sigma) - x);
        double decision = p.h() * sigma;
        return new Point(upper, lower, decision, upper > decision, lower > decision);
    }
}
