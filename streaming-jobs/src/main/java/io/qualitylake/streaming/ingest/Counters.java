package io.qualitylake.streaming.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;

/**
 * Ingest accounting that survives failures: counts live in checkpointed operator state, so after
 * a restore they resume from the checkpoint just like the data does, and the totals reconcile
 * exactly (read = written + quarantined + duplicates). Live values are Flink metrics; the totals
 * of a finished run are published as accumulators named {@code qlake.<counter>}.
 */
public final class Counters implements java.io.Serializable {
    static final String READ = "records_read";
    static final String WRITTEN = "valid_written";
    static final String DUPLICATES = "duplicates_dropped";
    static final String LATE = "late_events";
    static final String QUARANTINED_PREFIX = "quarantined.";
    static final String ACCUMULATOR_PREFIX = "qlake.";
    /** Wall-clock span of the records (ms): first parsed, last parsed, last written. */
    public static final String FIRST_IN_MS = ACCUMULATOR_PREFIX + "span.first_in_ms";
    public static final String LAST_PARSED_MS = ACCUMULATOR_PREFIX + "span.last_parsed_ms";
    static final String LAST_WRITTEN_MS = ACCUMULATOR_PREFIX + "span.last_written_ms";

    private final String stateName;
    private final Map<String, Slot> slots = new TreeMap<>();
    private transient ListState<Tuple2<String, Long>> state;
    private transient RuntimeContext context;

    /** One counter: its running total (checkpointed) and its live metric. Hot paths hold a Slot. */
    static final class Slot {
        private long value;
        private Counter metric;

        void inc() {
            value++;
            if (metric != null) {
                metric.inc();
            }
        }

        void add(long n) {
            value += n;
            if (metric != null) {
                metric.inc(n);
            }
        }
    }

    Counters(String stateName) {
        this.stateName = stateName;
    }

    void initialize(FunctionInitializationContext ctx) throws Exception {
        state = ctx.getOperatorStateStore().getListState(new ListStateDescriptor<>(stateName,
                TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {})));
        slots.values().forEach(s -> s.value = 0);
        if (ctx.isRestored()) {
            for (Tuple2<String, Long> t : state.get()) {
                slot(t.f0).value += t.f1;
            }
        }
    }

    void open(RuntimeContext ctx) {
        this.context = ctx;
        slots.forEach((name, s) -> s.metric = metric(name));
    }

    void add(String name, long n) {
        slot(name).add(n);
    }

    /** The counter of {@code name}, created on first use. */
    Slot slot(String name) {
        Slot s = slots.get(name);
        if (s == null) {
            s = new Slot();
            if (context != null) {
                s.metric = metric(name);
            }
            slots.put(name, s);
        }
        return s;
    }

    private Counter metric(String name) {
        return context.getMetricGroup().addGroup("qlake").counter(name);
    }

    void snapshot(FunctionSnapshotContext ctx) throws Exception {
        List<Tuple2<String, Long>> list = new ArrayList<>();
        slots.forEach((k, v) -> list.add(Tuple2.of(k, v.value)));
        state.update(list);
    }

    /** Called once at the end of input: totals to accumulators, summed over subtasks by Flink. */
    void publish() {
        slots.forEach((k, v) -> context.getLongCounter(ACCUMULATOR_PREFIX + k).add(v.value));
    }
}
