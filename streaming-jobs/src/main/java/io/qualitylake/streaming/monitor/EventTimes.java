package io.qualitylake.streaming.monitor;

import io.qualitylake.schemas.Timestamps;
import io.qualitylake.streaming.ingest.RawRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event-time watermarks at the source, per Kafka partition (or file): the watermark is the minimum
 * over partitions, so a partition read ahead of another (a replay, a lagging broker) does not close
 * the subgroups whose other measurements sit in the slower one. The timestamp is found in the raw
 * bytes without a full parse (the one parse stays in the validator); a record without a readable
 * {@code event_time} gets none and does not move the watermark.
 */
final class EventTimes implements SerializableTimestampAssigner<RawRecord> {
    private static final byte[] FIELD = "\"event_time\"".getBytes(StandardCharsets.US_ASCII);

    /** How long a partition's watermark is held back after its first record. */
    static final long HOLD_MILLIS = 10_000;

    static WatermarkStrategy<RawRecord> strategy(Duration maxOutOfOrderness) {
        return WatermarkStrategy.<RawRecord>forGenerator(ctx -> new HeldAtStart(maxOutOfOrderness))
                .withTimestampAssigner(new EventTimes())
                .withIdleness(Duration.ofSeconds(30));
    }

    /**
     * Bounded out-of-orderness, silent for the first {@link #HOLD_MILLIS} after the partition's first
     * record. Flink's source creates a partition's watermark output only when that partition's first
     * records are emitted, so until then the combined watermark follows the partitions already read:
     * in a replay the first partition would run hours ahead and everything in the second would be
     * late. Holding each partition back briefly lets every partition with data join the minimum first.
     */
    static final class HeldAtStart implements WatermarkGenerator<RawRecord> {
        private final BoundedOutOfOrdernessWatermarks<RawRecord> bounded;
        private final long startedNanos = System.nanoTime();

        HeldAtStart(Duration maxOutOfOrderness) {
            this.bounded = new BoundedOutOfOrdernessWatermarks<>(maxOutOfOrderness);
        }

        @Override
        public void onEvent(RawRecord event, long timestamp, WatermarkOutput out) {
            bounded.onEvent(event, timestamp, out);
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {
            if (System.nanoTime() - startedNanos >= HOLD_MILLIS * 1_000_000) {
                bounded.onPeriodicEmit(out);
            }
        }
    }

    @Override
    public long extractTimestamp(RawRecord r, long previous) {
        return of(r.value);
    }

    /** The event_time of a JSON record in milliseconds, or Long.MIN_VALUE when there is none to read. */
    static long of(byte[] json) {
        int at = indexOf(json, FIELD);
        if (at < 0) {
            return Long.MIN_VALUE;
        }
        int i = at + FIELD.length;
        while (i < json.length && (json[i] == ' ' || json[i] == ':' || json[i] == '\t')) {
            i++;
        }
        if (i >= json.length || json[i] != '"') {
            return Long.MIN_VALUE;
        }
        int end = i + 1;
        while (end < json.length && json[end] != '"' && end - i < 64) {
            end++;
        }
        try {
            return Timestamps.parse(new String(json, i + 1, end - i - 1, StandardCharsets.US_ASCII)).toEpochMilli();
        } catch (RuntimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int indexOf(byte[] s, byte[] p) {
        outer:
        for (int i = 0; i + p.length <= s.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (s[i + j] != p[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
