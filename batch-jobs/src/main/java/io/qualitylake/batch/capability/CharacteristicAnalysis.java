package io.qualitylake.batch.capability;

import io.qualitylake.spc.ControlChart;
import io.qualitylake.spc.SpcAnalysis;
import io.qualitylake.spc.Subgroup;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the capability job derives from one characteristic's subgroups: capability per UTC day
 * and month, control limits from the baseline, and the Nelson-rule violations after it ({@link SpcAnalysis},
 * shared with the streaming monitor). Pure: the
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
        List<Subgroup> ordered = SpcAnalysis.ordered(subgroups);

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

        SpcAnalysis.Result chart = SpcAnalysis.analyse(ordered, baselineSize);
        List<Flag> flags = new ArrayList<>();
        for (SpcAnalysis.Flag f : chart.violations()) {
            flags.add(new Flag(f.subgroup(), f.rule(), f.z()));
        }
        return new Result(capability, chart.limits(), chart.reason(), chart.monitored(), flags, chart.baselineEndMillis());
    }
}
