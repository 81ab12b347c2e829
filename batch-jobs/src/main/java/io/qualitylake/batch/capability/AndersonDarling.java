package io.qualitylake.batch.capability;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The Anderson–Darling statistic and the normality test with estimated mean and standard deviation
 * (D'Agostino &amp; Stephens 1986, "Goodness-of-Fit Techniques", §4.8 and Table 4.9, case 3).
 *
 * <p>For ordered values x₍₁₎ … x₍ₙ₎ and a fitted CDF F:
 * A² = −n − (1/n)·Σᵢ (2i − 1)·[ln F(x₍ᵢ₎) + ln(1 − F(x₍ₙ₊₁₋ᵢ₎))].
 * For normality (F = Φ((x − x̄)/s), s with n − 1) the small-sample adjustment is
 * A* = A²·(1 + 0.75/n + 2.25/n²) and the p-value:
 * <ul>
 *   <li>A* ≥ 0.6: p = exp(1.2937 − 5.709A* + 0.0186A*²)</li>
 *   <li>0.34 ≤ A* &lt; 0.6: p = exp(0.9177 − 4.279A* − 1.38A*²)</li>
 *   <li>0.2 ≤ A* &lt; 0.34: p = 1 − exp(−8.318 + 42.796A* − 59.938A*²)</li>
 *   <li>A* &lt; 0.2: p = 1 − exp(−13.436 + 101.14A* − 223.73A*²)</li>
 * </ul>
 */
public final class AndersonDarling {
    private static final double TINY = 1e-300;

    private AndersonDarling() {}

    /** A² of the values under the CDF {@code cdf} (values need not be sorted). */
    public static double statistic(double[] values, DoubleUnaryOperator cdf) {
        double[] x = values.clone();
        Arrays.sort(x);
        int n = x.length;
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = cdf.applyAsDouble(x[i]);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double lo = Math.max(f[i], TINY);
            double hi = Math.max(1 - f[n - 1 - i], TINY);
            s += (2.0 * i + 1) * (Math.log(lo) + Math.log(hi));
        }
        return -n - s / n;
    }

    /** A* = A²(1 + 0.75/n + 2.25/n²): the adjustment for estimated normal parameters. */
    public static double adjusted(double a2, int n) {
        return a2 * (1 + 0.75 / n + 2.25 / ((double) n * n));
    }

    /** The D'Agostino–Stephens p-value of an adjusted statistic A* (normal, both parameters estimated). */
    public static double normalityP(double aStar) {
        double p;
        if (aStar >= 0.6) {
            p = Math.exp(1.2937 - 5.709 * aStar + 0.0186 * aStar * aStar);
        } else if (aStar >= 0.34) {
            p = Math.exp(0.9177 - 4.279 * aStar - 1.38 * aStar * aStar);
        } else if (aStar >= 0.2) {
            p = 1 - Math.exp(-8.318 + 42.796 * aStar - 59.938 * aStar * aStar);
        } else {
            p = 1 - Math.exp(-13.436 + 101.14 * aStar - 223.73 * aStar * aStar);
        }
        return Math.max(0, Math.min(1, p));
    }
}
