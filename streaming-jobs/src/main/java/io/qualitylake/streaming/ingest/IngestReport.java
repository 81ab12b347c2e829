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
        long first = value(accumulators, Counters.FIRST_IN_MS, Long.MAX_VALUE);
        long last = value(accumulators, Counters.LAST_PARSED_MS, Long.MIN_VALUE);
        for (var e : accumulators.entrySet()) { // one last-written time per table
            if (e.getKey().startsWith(Counters.LAST_WRITTEN_MS + ".") && e.getValue() instanceof Number n) {
                last = Math.max(last, n.longValue());
            }
        }
        long processing = first == Long.MAX_VALUE || last < first ? 0 : Math.max(1, last - first);
        return new IngestReport(get(accumulators, Counters.READ), get(accumulators, Counters.WRITTEN),
                get(accumulators, Counters.DUPLICATES), get(accumulators, Counters.LATE), q, runtimeMillis, processing);
    }

    private static long get(Map<String, Object> acc, String name) {
        return value(acc, Counters.ACCUMULATOR_PREFIX + name, 0);
    }

    private static long value(Map<String, Object> acc, String key, long absent) {
        return acc.get(key) instanceof Number n ? n.longValue() : absent;
    }

    public String summary() {
        return String.format("read %,d = written %,d + quarantined %,d + duplicates %,d%s; late %,d%s",
                read, written, quarantined(), duplicates, reconciles() ? "" : " (DOES NOT RECONCILE)", late,
                quarantinedByReason.isEmpty() ? "" : "; quarantined by reason " + quarantinedByReason);
    }
}
