package io.qualitylake.streaming.monitor;

import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/** The real {@link SpcMonitorFunction} in Flink's keyed broadcast operator test harness, with named test data helpers. */
final class MonitorHarness implements AutoCloseable {
    static final String PLANT = "P01";
    static final String LINE = "L01";
    static final long GRACE_MS = 5_000;
    static final long IDLE_MS = 3_600_000;

    final KeyedBroadcastOperatorTestHarness<String, MeasurementPoint, PublishedLimits, Alert> h;
    private long nextHash;

    MonitorHarness(MonitorRules rules, Map<String, PublishedLimits> initial) throws Exception {
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new SpcMonitorFunction(GRACE_MS, IDLE_MS, 25, rules, initial), MeasurementPoint::key, Types.STRING,
                SpcMonitorFunction.LIMITS);
    }

    MonitorHarness() throws Exception {
        this(MonitorRules.NELSON_ONLY, Map.of());
    }

    /** One subgroup: its values as measurements at {@code timeMillis}, +1 ms, +2 ms, ... */
    void subgroup(String characteristic, String id, long timeMillis, double... values) throws Exception {
        for (int i = 0; i < values.length; i++) {
            measurement(characteristic, id, timeMillis + i, values[i], nextHash++);
        }
    }

    void measurement(String characteristic, String id, long timeMillis, double value, long eventHash) throws Exception {
        h.processElement(new MeasurementPoint(PLANT, LINE, characteristic, id, value, timeMillis, eventHash), timeMillis);
    }

    /** The measurements' watermark. The job's limits input is always idle (AlwaysIdle), so it never holds event time back; here the end of time stands for that. */
    void watermark(long millis) throws Exception {
        h.processBroadcastWatermark(new Watermark(Long.MAX_VALUE));
        h.processWatermark(new Watermark(millis));
    }

    void limits(PublishedLimits l) throws Exception {
        h.processBroadcastElement(l, 0);
    }

    List<Alert> alerts() {
        return h.extractOutputValues();
    }

    /** Keyed state entries left (value, map and list states of every key); broadcast state is not keyed. */
    int keyedStateEntries() {
        AbstractStreamOperator<?> op = (AbstractStreamOperator<?>) h.getOperator();
        return ((HeapKeyedStateBackend<?>) op.getKeyedStateBackend()).numKeyValueStateEntries();
    }

    static PublishedLimits published(String characteristic, String chart, double center, double sigma, int k, Long baselineEnd) {
        PublishedLimits l = new PublishedLimits();
        l.plantId = PLANT;
        l.lineId = LINE;
        l.characteristicId = characteristic;
        l.chart = chart;
        l.center = center;
        l.sigma = sigma;
        l.subgroupSize = k;
        l.baselineSubgroups = 25;
        l.baselineEndMillis = baselineEnd;
        return l;
    }

    @Override
    public void close() throws Exception {
        h.close();
    }
}
