package io.qualitylake.streaming.monitor;

import io.qualitylake.streaming.ingest.Counters;
import java.util.Map;

/**
 * The counters of a monitor run, from the job's accumulators.
 *
 * @param processingMillis from the first record read to the last one parsed (the sustained span)
 */
public record MonitorReport(long measurements, long subgroups, long alerts, long late, long duplicates, long invalidLimits,
                            long runtimeMillis, long processingMillis) {
    static MonitorReport from(Map<String, Object> acc, long runtimeMillis) {
        long first = acc.get(Counters.FIRST_IN_MS) instanceof Number n ? n.longValue() : 0;
        long last = acc.get(Counters.LAST_PARSED_MS) instanceof Number n ? n.longValue() : 0;
        return new MonitorReport(get(acc, SpcMonitorFunction.MEASUREMENTS), get(acc, SpcMonitorFunction.SUBGROUPS),
                get(acc, SpcMonitorFunction.ALERTS), get(acc, SpcMonitorFunction.LATE), get(acc, SpcMonitorFunction.DUPLICATES),
                get(acc, SpcMonitorJob.INVALID_LIMITS), runtimeMillis, Math.max(0, last - first));
    }

    private static long get(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    public String summary() {
        return String.format("%,d measurements, %,d subgroups judged or in baselines, %,d alerts; %,d late (behind the watermark or after their subgroup"
                + " closed) and %,d duplicate measurements skipped; %,d invalid limits messages skipped", measurements, subgroups, alerts, late,
                duplicates, invalidLimits);
    }
}
