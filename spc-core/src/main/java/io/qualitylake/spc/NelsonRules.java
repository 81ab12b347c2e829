package io.qualitylake.spc;

import java.util.ArrayList;
import java.util.List;

/**
 * Nelson's tests for special causes (L. S. Nelson, "The Shewhart Control Chart — Tests for Special
 * Causes", Journal of Quality Technology 16(4), 1984), rules 1–6, on standardised points
 * zᵢ = (xᵢ − center)/σᵢ. A rule is reported at the point that completes its pattern (and, for the
 * "m of n beyond" rules, only when that point is itself one of the m), so a long run is reported at
 * each point that extends it.
 *
 * <p>One definition for the batch capability job ({@link #evaluate} over a characteristic's
 * subgroups) and the streaming SpcMonitorJob ({@link #append} + {@link #firedAtLast} per subgroup).
 */
public final class NelsonRules {
    private NelsonRules() {}

    public record Violation(int index, int rule) {}

    /** Points the longest pattern looks at (rule 4: fourteen alternating): all any rule needs to see. */
    public static final int WINDOW = 14;

    /** Every rule that fires, at every point of a whole sequence (the batch job's view). */
    public static List<Violation> evaluate(double[] z) {
        List<Violation> out = new ArrayList<>();
        for (int i = 0; i < z.length; i++) {
            int fired = firedAt(z, i);
            for (int rule = 1; rule <= 6; rule++) {
                if ((fired & bit(rule)) != 0) {
                    out.add(new Violation(i, rule));
                }
            }
        }
        return out;
    }

    /** The bit of {@code rule} (1–6) in the masks returned by {@link #firedAt}. */
    public static int bit(int rule) {
        return 1 << (rule - 1);
    }

    /**
     * The rules whose pattern completes at point {@code i}, as a mask of {@link #bit}s. Looks at no
     * point before {@code i − WINDOW + 1}, so a stream that keeps only the last {@link #WINDOW}
     * points ({@link #append}) gets exactly the batch answer.
     */
    public static int firedAt(double[] z, int i) {
        int fired = 0;
        if (Math.abs(z[i]) > 3) {
            fired |= bit(1);
        }
        if (i >= 8 && sameSide(z, i - 8, i)) {
            fired |= bit(2);
        }
        if (i >= 5 && monotone(z, i - 5, i)) {
            fired |= bit(3);
        }
        if (i >= 13 && alternating(z, i - 13, i)) {
            fired |= bit(4);
        }
        if (i >= 2 && beyond(z, i - 2, i, 2, 2)) {
            fired |= bit(5);
        }
        if (i >= 4 && beyond(z, i - 4, i, 1, 4)) {
            fired |= bit(6);
        }
        return fired;
    }

    /** The last at most {@link #WINDOW} points of {@code recent} followed by {@code z} (a new array). */
    public static double[] append(double[] recent, double z) {
        int keep = Math.min(recent.length, WINDOW - 1);
        double[] out = new double[keep + 1];
        System.arraycopy(recent, recent.length - keep, out, 0, keep);
        out[keep] = z;
        return out;
    }

    /** The rules that fire at the newest point of a window built by {@link #append}. */
    public static int firedAtLast(double[] window) {
        return firedAt(window, window.length - 1);
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
