package io.qualitylake.streaming.monitor;

import java.util.Map;

/** The counters of a monitor run, from the job's accumulators. */
public record MonitorReport(long measurements, long subgroups, long alerts, long late, long duplicates, long invalidLimits,
                            long runtimeMillis) {
    static MonitorReport from(Map<String, Object> acc, long runtimeMillis) {
        return new MonitorReport(get(acc, SpcMonitorFunction.MEASUREMENTS), get(acc, SpcMonitorFunction.SUBGROUPS),
                get(acc, SpcMonitorFunction.ALERTS), get(acc, SpcMonitorFunction.LATE), get(acc, SpcMonitorFunction.DUPLICATES),
                get(acc, SpcMonitorJob.INVALID_LIMITS), runtimeMillis);
    }

    private static long get(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    public String summary() {
        return String.format("%,d measurements, %,d subgroups judged or in baselines, %,d alerts; %,d stragglers and %,d duplicate"
                + " measurements skipped; %,d invalid limits messages skipped", measurements, subgroups, alerts, late,
                duplicates, invalidLimits);
    }
}
