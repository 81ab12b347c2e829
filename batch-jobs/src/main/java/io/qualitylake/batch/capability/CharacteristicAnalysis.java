package io.qualitylake.batch.capability;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the capability job derives from one characteristic's subgroups: capability per UTC day
 * and month, control limits from the baseline, and the Nelson-rule violations after it. Pure: the
 * Spark job gathers a characteristic's subgroup summaries and calls this once per characteristic.
 */
public final class CharacteristicAnalysis {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);

    public record PeriodCapability(String periodType, String period, Capability.Result result) {}

    public record Flag(Subgroup subgroup, int rule, double z) {}

    /**
     * @param limits     null when the baseline cannot give limits ({@code limitsReason} says why)
     * @param monitored  subgroups after the baseline that the rules were applied to
     */
    public record Result(List<PeriodCapability> capability, ControlChart.Limits limits, String limitsReason,
                         int monitored, List<Flag> violations, Long baselineEndMillis) {}

    public static Result analyse(List<Subgroup> subgroups, int baselineSize) {
        List<Subgroup> ordered = new ArrayList<>(subgroups);
        ordered.sort(Comparator.comparingLong(Subgroup::timeMillis).thenComparing(Subgroup::id));

        List<PeriodCapability> capability = new ArrayList<>();
        for (String type : List.of("DAY", "MONTH")) {
            DateTimeFormatter f = type.equals("DAY") ? DAY : MONTH;
            Map<String, List<Subgroup>> byPeriod = new LinkedHashMap<>();
            for (Subgroup g : ordered) {
                byPeriod.computeIfAbsent(f.format(Instant.ofEpochMilli(g.timeMillis())), p -> new ArrayList<>()).add(g);
            }
            byPeriod.forEach((period, groups) -> {
                Subgroup latest = groups.get(groups.size() - 1); // the spec in force at the end of the period
                capability.add(new PeriodCapability(type, period, Capability.of(groups, latest.lsl(), latest.usl())));
            });
        }

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
        return new Result(capability, limits, why[0], monitored, flags, baselineEnd);
    }
}
