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
final class Counters implements java.io.Serializable {
    static final String READ = "records_read";
    static final String WRITTEN = "valid_written";
    static final String DUPLICATES = "duplicates_dropped";
    static final String LATE = "late_events";
    static final String QUARANTINED_PREFIX = "quarantined.";
    static final String ACCUMULATOR_PREFIX = "qlake.";

    private final String stateName;
    private final Map<String, Long> values = new TreeMap<>();
    private transient ListState<Tuple2<String, Long>> state;
    private transient Map<String, Counter> metrics;
    private transient RuntimeContext context;

    Counters(String stateName) {
        this.stateName = stateName;
    }

    void initialize(FunctionInitializationContext ctx) throws Exception {
        state = ctx.getOperatorStateStore().getListState(new ListStateDescriptor<>(stateName,
                TypeInformation.of(new TypeHint<Tuple2<String, Long>>() {})));
        values.clear();
        if (ctx.isRestored()) {
            for (Tuple2<String, Long> t : state.get()) {
                values.merge(t.f0, t.f1, Long::sum);
            }
        }
    }

    void open(RuntimeContext ctx) {
        this.context = ctx;
        this.metrics = new TreeMap<>();
    }

    void add(String name, long n) {
        values.merge(name, n, Long::sum);
        Counter c = metrics.computeIfAbsent(name, k -> context.getMetricGroup().addGroup("qlake").counter(k));
        c.inc(n);
    }

    void snapshot(FunctionSnapshotContext ctx) throws Exception {
        List<Tuple2<String, Long>> list = new ArrayList<>();
        values.forEach((k, v) -> list.add(Tuple2.of(k, v)));
        state.update(list);
    }

    /** Called once at the end of input: totals to accumulators, summed over subtasks by Flink. */
    void publish() {
        values.forEach((k, v) -> context.getLongCounter(ACCUMULATOR_PREFIX + k).add(v));
    }
}
