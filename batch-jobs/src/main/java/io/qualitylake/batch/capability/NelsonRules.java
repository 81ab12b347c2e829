package io.qualitylake.batch.capability;

import java.util.ArrayList;
import java.util.List;

/**
 * Nelson's tests for special causes (L. S. Nelson, "The Shewhart Control Chart — Tests for Special
 * Causes", Journal of Quality Technology 16(4), 1984), rules 1–6, on standardised points
 * zᵢ = (xᵢ − center)/σᵢ. A rule is reported at the point that completes its pattern (and, for the
 * "m of n beyond" rules, only when that point is itself one of the m), so a long run is reported at
 * each point that extends it.
 */
public final class NelsonRules {
    private NelsonRules() {}

    public record Violation(int index, int rule) {}

    public static List<Violation> evaluate(double[] z) {
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            if (Math.abs(z[i]) > 3) {
                out.add(new Violation(i, 1));
            }
            if (i >= 8 && sameSide(z, i - 8, i)) {
                out.add(new Violation(i, 2));
            }
            if (i >= 5 && monotone(z, i - 5, i)) {
                out.add(new Violation(i, 3));
            }
            if (i >= 13 && alternating(z, i - 13, i)) {
                out.add(new Violation(i, 4));
            }
            if (i >= 2 && beyond(z, i - 2, i, 2, 2)) {
                out.add(new Violation(i, 5));
            }
            if (i >= 4 && beyond(z, i - 4, i, 1, 4)) {
                out.add(new Violation(i, 6));
            }
        }
        return out;
    }

    /** Rule 2: every point of [from, to] strictly on one side of the center. */
    static boolean sameSide(double[] z, int from, int to) {
        boolean above = z[from] > 0;
        for (int j = from; j <= to; j++) {
            if (z[j] == 0 || (z[j] > 0) != above) {
                return false;
            }
        }
        return true;
    }

    /** Rule 3: strictly increasing or strictly decreasing across [from, to]. */
    static boolean monotone(double[] z, int from, int to) {
        boolean up = true;
        boolean down = true;
        for (int j = from + 1; j <= to; j++) {
            up &= z[j] > z[j - 1];
            down &= z[j] < z[j - 1];
        }
        return up || down;
    }

    /** Rule 4: consecutive differences across [from, to] alternate in sign (none zero). */
    static boolean alternating(double[] z, int from, int to) {
        for (int j = from + 1; j < to; j++) {
            double d1 = z[j] - z[j - 1];
            double d2 = z[j + 1] - z[j];
            if (!(d1 * d2 < 0)) {
                return false;
            }
        }
        return true;
    }

    /** Rules 5, 6: at least {@code m} points of [from, to] beyond {@code limit} σ on the side of the last point. */
    static boolean beyond(double[] z, int from, int to, double limit, int m) {
        double sign = Math.signum(z[to]);
        if (sign == 0 || Math.abs(z[to]) <= limit) {
            return false;
        }
        int count = 0;
        for (int j = from; j <= to; j++) {
            if (z[j] * sign > limit) {
                count++;
            }
        }
        return count >= m;
    }
}
