package io.qualitylake.streaming.ingest;

import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Drops repeats of an {@code event_id} seen within the retention (default 7 days of processing
 * time). Each id keeps one small state entry and one timer; the timer clears both when the
 * retention ends, so state does not grow without bound. Events behind the watermark are still
 * emitted (bronze is partitioned by event date) and counted as late.
 */
public class DeduplicateFunction extends KeyedProcessFunction<String, GenericRecord, GenericRecord>
        implements CheckpointedFunction {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private final long retentionMillis;
    private final Counters counters;
    private transient ValueState<Long> expiresAt;

    public DeduplicateFunction(Duration retention, String name) {
        this.retentionMillis = retention.toMillis();
        this.counters = new Counters("dedupe-counters-" + name);
    }

    @Override
    public void open(OpenContext ctx) {
        expiresAt = getRuntimeContext().getState(new ValueStateDescriptor<>("expires-at", Types.LONG));
        counters.open(getRuntimeContext());
    }

    @Override
    public void processElement(GenericRecord row, Context ctx, Collector<GenericRecord> out) throws Exception {
        if (expiresAt.value() != null) {
            counters.add(Counters.DUPLICATES, 1);
            return;
        }
        long expiry = ctx.timerService().currentProcessingTime() + retentionMillis;
        expiresAt.update(expiry);
        ctx.timerService().registerProcessingTimeTimer(expiry);
        Long ts = ctx.timestamp();
        if (ts != null && ts < ctx.timerService().currentWatermark()) {
            counters.add(Counters.LATE, 1);
        }
        counters.add(Counters.WRITTEN, 1);
        out.collect(row);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<GenericRecord> out) throws Exception {
        expiresAt.clear();
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        counters.snapshot(ctx);
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        counters.initialize(ctx);
    }

    @Override
    public void close() {
        counters.publish();
    }
}
