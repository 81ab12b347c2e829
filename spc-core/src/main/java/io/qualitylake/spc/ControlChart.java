package io.qualitylake.spc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Shewhart limits from a baseline of subgroups (SPEC §4): I–MR when the subgroups are single values,
 * X̄–R for 2 ≤ k ≤ 10, X̄–S for k > 10. With one subgroup size the printed textbook formulas are used
 * with the tabulated factors (X̿ ± A₂R̄, D₃R̄, D₄R̄; X̿ ± A₃s̄, B₃s̄, B₄s̄; X̄ ± 3MR̄/d₂, D₄MR̄), so limits
 * match published examples to their printed digits. With mixed sizes, σ is estimated per subgroup
 * (Rᵢ/d₂(kᵢ) or sᵢ/c₄(kᵢ)) and each point is judged against σ/√kᵢ; the row shows the modal size.
 */
public final class ControlChart {
    private ControlChart() {}

    public enum Type { XBAR_R, XBAR_S, I_MR }

    /**
     * @param sigma process σ estimate (within), used for each point's σ/√k in the rules
     * @param k     subgroup size the limits are printed for (the modal size)
     */
    public record Limits(Type chart, double center, double lcl, double ucl, double rangeCenter, double rangeLcl,
                         double rangeUcl, int baselineSubgroups, int k, double sigma, String note) {
        /** σ of one plotted point of size {@code kPoint}. */
        public double sigmaOfPoint(int kPoint) {
            return chart == Type.I_MR ? sigma : sigma / Math.sqrt(kPoint);
        }
    }

    /**
     * Limits from the first {@code baselineSize} subgroups; null (with the reason in {@code why[0]})
     * when the baseline cannot give them.
     */
    public static Limits fromBaseline(List<Subgroup> subgroups, int baselineSize, String[] why) {
        List<Subgroup> base = subgroups.subList(0, Math.min(baselineSize, subgroups.size()));
        int k = modalSize(base);
        boolean mixed = base.stream().anyMatch(g -> g.k() != k);
        String note = mixed ? "mixed subgroup sizes in the baseline; limits printed for k = " + k
                + ", each point judged with its own size" : null;
        if (base.size() < 2) {
            why[0] = "baseline has " + base.size() + " subgroup(s); at least 2 needed";
            return null;
        }
        double center = 0;
        long n = 0;
        for (Subgroup g : base) {
            center += g.mean();
            n++;
        }
        center /= n; // X̿: the mean of subgroup means
        Limits limits = k == 1 ? individuals(base, center, note)
                : k <= 10 ? ranges(base, center, k, mixed, note) : deviations(base, center, k, mixed, note);
        if (limits == null) {
            why[0] = k == 1 ? "no moving range in the baseline" : "too few multi-value subgroups in the baseline";
        } else if (limits.sigma() == 0) {
            why[0] = "constant process in the baseline (sigma = 0): limits collapse to the center line";
        }
        return limits;
    }

    private static Limits individuals(List<Subgroup> base, double center, String note) {
        Double mr = meanMovingRange(base);
        if (mr == null) {
            return null;
        }
        double sigma = mr / ChartConstants.d2(2);
        return new Limits(Type.I_MR, center, center - 3 * sigma, center + 3 * sigma, mr, 0, ChartConstants.upperD4(2) * mr,
                base.size(), 1, sigma, note);
    }

    private static Limits ranges(List<Subgroup> base, double center, int k, boolean mixed, String note) {
        List<Subgroup> multi = base.stream().filter(g -> g.k() >= 2).toList();
        if (multi.isEmpty()) {
            return null;
        }
        if (!mixed) {
            double rbar = multi.stream().mapToDouble(Subgroup::range).average().orElseThrow();
            double a2 = ChartConstants.a2(k);
            return new Limits(Type.XBAR_R, center, center - a2 * rbar, center + a2 * rbar, rbar,
                    ChartConstants.upperD3(k) * rbar, ChartConstants.upperD4(k) * rbar, base.size(), k,
                    rbar / ChartConstants.d2(k), note);
        }
        double sigma = multi.stream().mapToDouble(g -> g.range() / ChartConstants.d2(g.k())).average().orElseThrow();
        double half = 3 * sigma / Math.sqrt(k);
        double rbar = ChartConstants.d2(k) * sigma;
        return new Limits(Type.XBAR_R, center, center - half, center + half, rbar, ChartConstants.upperD3(k) * rbar,
                ChartConstants.upperD4(k) * rbar, base.size(), k, sigma, note);
    }

    private static Limits deviations(List<Subgroup> base, double center, int k, boolean mixed, String note) {
        List<Subgroup> multi = base.stream().filter(g -> g.k() >= 2).toList();
        if (!mixed && k <= ChartConstants.MAX_TABULATED) {
            double sbar = multi.stream().mapToDouble(Subgroup::s).average().orElseThrow();
            double a3 = ChartConstants.a3(k);
            return new Limits(Type.XBAR_S, center, center - a3 * sbar, center + a3 * sbar, sbar,
                    ChartConstants.b3(k) * sbar, ChartConstants.b4(k) * sbar, base.size(), k, sbar / ChartConstants.c4(k), note);
        }
        // mixed sizes or k beyond the table: σ = mean sᵢ/c₄(kᵢ), factors from c₄ (B₃,₄ = 1 ∓ 3√(1−c₄²)/c₄)
        double sigma = multi.stream().mapToDouble(g -> g.s() / ChartConstants.c4(g.k())).average().orElseThrow();
        double c4 = ChartConstants.c4(k);
        double sbar = c4 * sigma;
        double spread = 3 * Math.sqrt(1 - c4 * c4) / c4;
        double half = 3 * sigma / Math.sqrt(k);
        return new Limits(Type.XBAR_S, center, center - half, center + half, sbar, Math.max(0, 1 - spread) * sbar,
                (1 + spread) * sbar, base.size(), k, sigma, note);
    }

    /** MR̄ of consecutive subgroup means (the individual values of an I–MR chart); null for fewer than 2. */
    public static Double meanMovingRange(List<Subgroup> subgroups) {
        if (subgroups.size() < 2) {
            return null;
        }
        double sum = 0;
        for (int i = 1; i < subgroups.size(); i++) {
            sum += Math.abs(subgroups.get(i).mean() - subgroups.get(i - 1).mean());
        }
        return sum / (subgroups.size() - 1);
    }

    /** The most frequent subgroup size (the larger one on a tie). */
    static int modalSize(List<Subgroup> subgroups) {
        Map<Integer, Integer> counts = new HashMap<>();
        int best = 1;
        int bestCount = 0;
        for (Subgroup g : subgroups) {
            int c = counts.merge(g.k(), 1, Integer::sum);
            if (c > bestCount || (c == bestCount && g.k() > best)) {
                best = g.k();
                bestCount = c;
            }
        }
        return best;
    }
}
