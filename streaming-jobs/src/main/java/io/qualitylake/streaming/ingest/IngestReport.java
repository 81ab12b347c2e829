package io.qualitylake.streaming.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * The accounting of one ingest run: read = written + quarantined + duplicates, always.
 * Late events are written too and counted separately.
 */
public record IngestReport(long read, long written, long duplicates, long late, Map<String, Long> quarantinedByReason,
                           long runtimeMillis) {
    public long quarantined() {
        return quarantinedByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean reconciles() {
        return read == written + quarantined() + duplicates;
    }

    static IngestReport from(Map<String, Object> accumulators, long runtimeMillis) {
        Map<String, Long> q = new TreeMap<>();
        accumulators.forEach((k, v) -> {
            String prefix = Counters.ACCUMULATOR_PREFIX + Counters.QUARANTINED_PREFIX;
            if (k.startsWith(prefix)) {
                q.put(k.substring(prefix.length()), ((Number) v).longValue());
            }
        });
        return new IngestReport(get(accumulators, Counters.READ), get(accumulators, Counters.WRITTEN),
                get(accumulators, Counters.DUPLICATES), get(accumulators, Counters.LATE), q, runtimeMillis);
    }

    private static long get(Map<String, Object> acc, String name) {
        Object v = acc.get(Counters.ACCUMULATOR_PREFIX + name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    public String summary() {
        return String.format("read %,d = written %,d + quarantined %,d + duplicates %,d%s; late %,d%s",
                read, written, quarantined(), duplicates, reconciles() ? "" : " (DOES NOT RECONCILE)", late,
                quarantinedByReason.isEmpty() ? "" : "; quarantined by reason " + quarantinedByReason);
    }
}
