package io.qualitylake.spc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Phase I and II of one characteristic's Shewhart chart over its whole history, as the batch
 * capability job computes gold.control_limits and gold.spc_violations: subgroups in time order
 * (ties by id), limits from the first {@code baselineSize} ({@link ControlChart#fromBaseline}), and
 * Nelson 1–6 ({@link NelsonRules}) on z = (x̄ − center)/σ_point of every subgroup after the baseline.
 * The streaming monitor, fed the same subgroups, must report the same (rule, subgroup) pairs.
 */
public final class SpcAnalysis {
    private SpcAnalysis() {}

    public record Flag(Subgroup subgroup, int rule, double z) {}

    /**
     * @param limits            null when the baseline cannot give limits ({@code reason} says why)
     * @param monitored         subgroups after the baseline that the rules were applied to
     * @param baselineEndMillis time of the last baseline subgroup, null without limits
     */
    public record Result(ControlChart.Limits limits, String reason, int monitored, List<Flag> violations,
                         Long baselineEndMillis) {}

    /**
     * Chart order: by the time of a subgroup's first measurement, ties by subgroup id. The batch job
     * sorts a characteristic's history by it; the streaming monitor judges closed subgroups in it.
     */
    public static final Comparator<Subgroup> CHART_ORDER = Comparator.comparingLong(Subgroup::timeMillis).thenComparing(Subgroup::id);

    /** Subgroups in {@link #CHART_ORDER}. */
    public static List<Subgroup> ordered(List<Subgroup> subgroups) {
        List<Subgroup> ordered = new ArrayList<>(subgroups);
        ordered.sort(CHART_ORDER);
        return ordered;
    }

    /** @param ordered subgroups in {@link #ordered} order */
    public static Result analyse(List<Subgroup> ordered, int baselineSize) {
        String[] why = new String[1];
        ControlChart.Limits limits = ControlChart.fromBaseline(ordered, baselineSize, why);
        List<Flag> flags = new ArrayList<>();
        int monitored = 0;
        if (limits != null && limits.sigma() > 0 && ordered.size() > baselineSize) {
            List<Subgroup> after = ordered.subList(baselineSize, ordered.size());
            monitored = after.size();
            double[] z = new double[after.size()];
            for (int i = 0; i < z.length; i++) {
                Subgroup g = after.get(i);
                z[i] = (g.mean() - limits.center()) / limits.sigmaOfPoint(g.k());
            }
            for (NelsonRules.Violation v : NelsonRules.evaluate(z)) {
                flags.add(new Flag(after.get(v.index()), v.rule(), z[v.index()]));
            }
        } else if (limits != null && ordered.size() <= baselineSize && why[0] == null) {
            why[0] = "only " + ordered.size() + " subgroups: all in the baseline, none monitored yet";
        }
        Long baselineEnd = limits == null ? null : ordered.get(limits.baselineSubgroups() - 1).timeMillis();
        return new Result(limits, why[0], monitored, flags, baselineEnd);
    }
}
