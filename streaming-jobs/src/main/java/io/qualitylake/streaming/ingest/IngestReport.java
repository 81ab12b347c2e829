package io.qualitylake.streaming.ingest;

import java.util.Map;
import java.util.TreeMap;

/**
 * The accounting of one ingest run: read = written + quarantined + duplicates, always.
 * Late events are written too and counted separately.
 *
 * @param runtimeMillis    the job's whole run: start-up, the records, and the final checkpoint that
 *                         commits the last files (a bounded run waits for the next periodic one)
 * @param processingMillis from the first record parsed to the last one parsed or written (0 without
 *                         records): the time the records themselves took
 */
public record IngestReport(long read, long written, long duplicates, long late, Map<String, Long> quarantinedByReason,
                           long runtimeMillis, long processingMillis) {
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
        long first = accumulators.get(Counters.FIRST_IN_MS) instanceof Number n ? n.longValue() : Long.MAX_VALUE;
        long last = Math.max(
                accumulators.get(Counters.LAST_PARSED_MS) instanceof Number n ? n.longValue() : Long.MIN_VALUE,
                accumulators.get(Counters.LAST_WRITTEN_MS) instanceof Number n ? n.longValue() : Long.MIN_VALUE);
        long processing = first == Long.MAX_VALUE || last < first ? 0 : Math.max(1, last - first);
        return new IngestReport(get(accumulators, Counters.READ), get(accumulators, Counters.WRITTEN),
                get(accumulators, Counters.DUPLICATES), get(accumulators, Counters.LATE), q, runtimeMillis, processing);
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
