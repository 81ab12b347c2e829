package io.qualitylake.streaming.monitor;

import io.qualitylake.spc.ControlChart;
import io.qualitylake.spc.SpcAnalysis;
import io.qualitylake.spc.Subgroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The live control chart of each characteristic (key {@code plant|line|characteristic}).
 *
 * <p>Subgroups are assembled by subgroup_id in event time: a subgroup is closed when the chart's
 * subgroup size has arrived, or when the watermark passes its last measurement plus the grace. Closed
 * subgroups are judged in chart order ({@link SpcAnalysis#CHART_ORDER}: time of the first measurement,
 * ties by id; the order the batch capability job sorts a characteristic's history in), and only once
 * that order is final: when the watermark has passed the subgroup's time (no measurement still to
 * come can open a subgroup before it) and no subgroup before it is still open. So for input that is
 * out of order within the watermark's bound, the rule windows, EWMA and CUSUM see the same sequence
 * as the batch job. The price is latency: a subgroup complete by size waits for the watermark to pass
 * its first measurement, about the out-of-orderness bound after that measurement (plus the watermark
 * interval), and behind an earlier subgroup still open it waits for that one to close.
 *
 * <p>Each subgroup is judged by {@link Charting} against the characteristic's limits: the ones
 * published by the batch job (broadcast state, or the set read at start), else limits self-started
 * from its first {@code baselineSize} subgroups exactly as the batch job derives them
 * ({@link ControlChart#fromBaseline}); the subgroups of a baseline are not judged. A measurement at or
 * behind the watermark that would open a subgroup is late (its place in the chart may be judged already).
 *
 * <p>State per characteristic is bounded: the subgroups still open, the closed ones the watermark has
 * not passed yet (those within the out-of-orderness bound), at most {@code baselineSize} baseline
 * summaries, and one {@link ChartState}. A characteristic with no measurement for {@code idleMillis} of
 * event time is forgotten (its state cleared by a timer).
 */
public class SpcMonitorFunction extends KeyedBroadcastProcessFunction<String, MeasurementPoint, PublishedLimits, Alert> {
    /** Broadcast state: the latest published limits per characteristic key. */
    public static final MapStateDescriptor<String, PublishedLimits> LIMITS =
            new MapStateDescriptor<>("published-limits", TypeInformation.of(String.class), TypeInformation.of(PublishedLimits.class));

    public static final String MEASUREMENTS = "monitor-measurements";
    public static final String SUBGROUPS = "monitor-subgroups";
    public static final String ALERTS = "monitor-alerts";
    public static final String LATE = "monitor-late-measurements";
    public static final String DUPLICATES = "monitor-duplicate-measurements";

    private final long graceMillis;
    private final long idleMillis;
    private final int baselineSize;
    private final MonitorRules rules;
    private final Map<String, PublishedLimits> initialLimits;

    private transient MapState<String, PendingSubgroup> pending;
    private transient MapState<String, SubgroupSummary> closed;
    private transient ValueState<ChartState> chart;
    private transient ListState<SubgroupSummary> baseline;
    private transient LongCounter measurements;
    private transient LongCounter subgroups;
    private transient LongCounter alerts;
    private transient LongCounter late;
    private transient LongCounter duplicates;

    /**
     * @param initialLimits limits known before the job starts (read from the compacted topic or a
     *                      file); broadcast messages override them
     */
    public SpcMonitorFunction(long graceMillis, long idleMillis, int baselineSize, MonitorRules rules,
                              Map<String, PublishedLimits> initialLimits) {
        if (idleMillis <= graceMillis) {
            throw new IllegalArgumentException("the idle expiry must be longer than the subgroup grace");
        }
        this.graceMillis = graceMillis;
        this.idleMillis = idleMillis;
        this.baselineSize = baselineSize;
        this.rules = rules;
        this.initialLimits = Map.copyOf(initialLimits);
    }

    @Override
    public void open(OpenContext ctx) {
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-subgroups",
                TypeInformation.of(String.class), TypeInformation.of(PendingSubgroup.class)));
        closed = getRuntimeContext().getMapState(new MapStateDescriptor<>("closed-subgroups",
                TypeInformation.of(String.class), TypeInformation.of(SubgroupSummary.class)));
        chart = getRuntimeContext().getState(new ValueStateDescriptor<>("chart", TypeInformation.of(ChartState.class)));
        baseline = getRuntimeContext().getListState(new ListStateDescriptor<>("baseline", TypeInformation.of(SubgroupSummary.class)));
        measurements = counter(MEASUREMENTS);
        subgroups = counter(SUBGROUPS);
        alerts = counter(ALERTS);
        late = counter(LATE);
        duplicates = counter(DUPLICATES);
    }

    private LongCounter counter(String name) {
        LongCounter c = new LongCounter();
        getRuntimeContext().addAccumulator(name, c);
        return c;
    }

    @Override
    public void processElement(MeasurementPoint p, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        measurements.add(1);
        ChartState s = chart.value();
        if (s == null) {
            s = new ChartState();
        }
        TimerService timers = ctx.timerService();
        touch(s, p.timeMillis, timers);
        if (s.isDone(p.subgroupId) || closed.contains(p.subgroupId)) {
            late.add(1); // a straggler of a subgroup already closed
            chart.update(s);
            return;
        }
        PendingSubgroup g = pending.get(p.subgroupId);
        boolean opened = g == null;
        if (opened && p.timeMillis <= timers.currentWatermark()) {
            late.add(1); // behind the watermark: subgroups after its place in the chart may be judged already
            chart.update(s);
            return;
        }
        if (opened) {
            g = PendingSubgroup.start(p);
        } else if (g.contains(p.eventHash)) {
            duplicates.add(1);
            chart.update(s);
            return;
        } else {
            g.add(p);
        }
        int expected = expectedSize(s, published(ctx.getBroadcastState(LIMITS), ctx.getCurrentKey()));
        if (expected > 0 && g.k >= expected) {
            if (!opened) {
                pending.remove(p.subgroupId);
                release(g.timerMillis, s, timers);
            }
            if (close(s, g, timers)) {
                judgeReady(s, ctx.getBroadcastState(LIMITS), ctx.getCurrentKey(), timers, out);
            }
        } else {
            if (opened) {
                // one timer per open subgroup, set from its first value; when it fires early it moves on
                g.timerMillis = graceTimer(g);
                timers.registerEventTimeTimer(g.timerMillis);
            }
            pending.put(p.subgroupId, g);
        }
        chart.update(s);
    }

    @Override
    public void processBroadcastElement(PublishedLimits l, Context ctx, Collector<Alert> out) throws Exception {
        ctx.getBroadcastState(LIMITS).put(l.key(), l);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        ChartState s = chart.value();
        if (s == null) {
            return;
        }
        List<PendingSubgroup> due = new ArrayList<>();
        List<PendingSubgroup> moved = new ArrayList<>();
        for (PendingSubgroup g : pending.values()) {
            if (graceTimer(g) <= ts) {
                due.add(g);
            } else if (g.timerMillis <= ts) { // more values came after the timer was set: wait for the last + grace
                g.timerMillis = graceTimer(g);
                ctx.timerService().registerEventTimeTimer(g.timerMillis);
                moved.add(g);
            }
        }
        for (PendingSubgroup g : moved) {
            pending.put(g.subgroupId, g);
        }
        for (PendingSubgroup g : due) {
            pending.remove(g.subgroupId);
            close(s, g, ctx.timerService());
        }
        judgeReady(s, ctx.getBroadcastState(LIMITS), ctx.getCurrentKey(), ctx.timerService(), out);
        if (ts == s.idleTimer && pending.isEmpty() && closed.isEmpty()) {
            chart.clear(); // idle: forget the characteristic (its timers have all fired by now)
            baseline.clear();
            return;
        }
        chart.update(s);
    }

    /**
     * Moves a subgroup from open to closed. Returns whether the watermark has passed its time already
     * (it may be judgeable now); otherwise it holds a timer at its time, when it will be.
     */
    private boolean close(ChartState s, PendingSubgroup g, TimerService timers) throws Exception {
        s.markDone(g.subgroupId);
        closed.put(g.subgroupId, SubgroupSummary.of(g.toSubgroup()));
        if (g.firstMillis > timers.currentWatermark()) {
            timers.registerEventTimeTimer(g.firstMillis);
            return false;
        }
        return true;
    }

    /**
     * Judges, in chart order, the closed subgroups whose order is final: the watermark has passed their
     * time and no open subgroup comes before them. When that makes the subgroup size known (self-started
     * or new limits), open subgroups already full are closed and the round repeats.
     */
    private void judgeReady(ChartState s, ReadOnlyBroadcastState<String, PublishedLimits> state, String key,
                            TimerService timers, Collector<Alert> out) throws Exception {
        long watermark = timers.currentWatermark();
        boolean more = true;
        while (more) {
            PendingSubgroup firstOpen = null;
            for (PendingSubgroup g : pending.values()) {
                if (firstOpen == null || before(g.firstMillis, g.subgroupId, firstOpen.firstMillis, firstOpen.subgroupId)) {
                    firstOpen = g;
                }
            }
            List<Subgroup> ready = new ArrayList<>();
            for (SubgroupSummary c : closed.values()) {
                if (c.timeMillis <= watermark
                        && (firstOpen == null || before(c.timeMillis, c.id, firstOpen.firstMillis, firstOpen.subgroupId))) {
                    ready.add(c.toSubgroup());
                }
            }
            ready.sort(SpcAnalysis.CHART_ORDER);
            for (Subgroup g : ready) {
                closed.remove(g.id());
                judge(s, g, state, key, timers.currentProcessingTime(), out);
            }
            more = !ready.isEmpty() && closeFullSubgroups(s, state, key, timers);
        }
    }

    private static boolean before(long t1, String id1, long t2, String id2) {
        return t1 < t2 || (t1 == t2 && id1.compareTo(id2) < 0);
    }

    /** Once the subgroup size becomes known (self-started or new limits), open subgroups already full are closed. */
    private boolean closeFullSubgroups(ChartState s, ReadOnlyBroadcastState<String, PublishedLimits> state, String key,
                                       TimerService timers) throws Exception {
        int expected = expectedSize(s, published(state, key));
        if (expected <= 0) {
            return false;
        }
        List<PendingSubgroup> full = new ArrayList<>();
        for (PendingSubgroup g : pending.values()) {
            if (g.k >= expected) {
                full.add(g);
            }
        }
        for (PendingSubgroup g : full) {
            pending.remove(g.subgroupId);
            release(g.timerMillis, s, timers);
            close(s, g, timers);
        }
        return !full.isEmpty();
    }

    /** Deletes a timer that no open or closed subgroup and no idle expiry still needs (timers on the same instant are one timer). */
    private void release(long timer, ChartState s, TimerService timers) throws Exception {
        if (timer == s.idleTimer) {
            return;
        }
        for (PendingSubgroup other : pending.values()) {
            if (other.timerMillis == timer) {
                return;
            }
        }
        for (SubgroupSummary c : closed.values()) {
            if (c.timeMillis == timer) {
                return;
            }
        }
        timers.deleteEventTimeTimer(timer);
    }

    /** Moves the idle-expiry timer to the newest event time seen plus the idle period. */
    private void touch(ChartState s, long eventMillis, TimerService timers) throws Exception {
        if (eventMillis <= s.maxSeenMillis) {
            return;
        }
        s.maxSeenMillis = eventMillis;
        long expiry = roundUp(eventMillis + idleMillis);
        if (expiry != s.idleTimer) {
            long old = s.idleTimer;
            s.idleTimer = expiry;
            timers.registerEventTimeTimer(expiry);
            if (old != Long.MIN_VALUE) {
                release(old, s, timers);
            }
        }
    }

    /** Grace timers on whole seconds: subgroups closing within the same second share one timer. */
    private long graceTimer(PendingSubgroup g) {
        return roundUp(g.lastMillis + graceMillis);
    }

    private static long roundUp(long millis) {
        return Math.floorDiv(millis + 999, 1000) * 1000;
    }

    private static int expectedSize(ChartState s, PublishedLimits published) {
        if (published != null) {
            return published.subgroupSize;
        }
        return s.hasLimits() ? s.k : 0; // unknown before self-start: completed by the watermark
    }

    private PublishedLimits published(ReadOnlyBroadcastState<String, PublishedLimits> state, String key) throws Exception {
        PublishedLimits l = state.get(key);
        return l != null ? l : initialLimits.get(key);
    }

    /** One closed subgroup, next in chart order: a baseline point, or judged against the limits in force. */
    private void judge(ChartState s, Subgroup g, ReadOnlyBroadcastState<String, PublishedLimits> state,
                       String key, long now, Collector<Alert> out) throws Exception {
        subgroups.add(1);
        PublishedLimits pub = published(state, key);
        if (pub != null && !pub.version().equals(s.limitsVersion)) {
            ControlChart.Limits l = pub.toLimits();
            s.use(pub.version(), Alert.BATCH, l.chart(), l.center(), l.sigma(), l.k(),
                    pub.baselineEndMillis == null ? Long.MIN_VALUE : pub.baselineEndMillis);
            baseline.clear();
        }
        if (!s.hasLimits()) {
            selfStart(s, g);
            return;
        }
        if (g.timeMillis() <= s.baselineEndMillis) {
            return; // part of the published limits' own baseline (Phase I)
        }
        String[] k = key.split("\\|", 3);
        for (Alert a : Charting.judge(s, g, rules.forCharacteristic(k[0], k[1], k[2]), k[0], k[1], k[2], now)) {
            alerts.add(1);
            out.collect(a);
        }
    }

    /** Phase I without published limits: the first {@code baselineSize} subgroups give the limits. */
    private void selfStart(ChartState s, Subgroup g) throws Exception {
        baseline.add(SubgroupSummary.of(g));
        s.baselineCount++;
        if (s.baselineCount < baselineSize) {
            return;
        }
        List<Subgroup> base = new ArrayList<>();
        for (SubgroupSummary b : baseline.get()) {
            base.add(b.toSubgroup());
        }
        base.sort(SpcAnalysis.CHART_ORDER);
        baseline.clear();
        ControlChart.Limits l = ControlChart.fromBaseline(base, baselineSize, new String[1]);
        if (l == null || !(l.sigma() > 0)) {
            s.baselineCount = 0; // no usable limits (e.g. a constant process): start a new baseline
            return;
        }
        s.use("SELF_STARTED|" + base.get(base.size() - 1).id(), Alert.SELF_STARTED, l.chart(), l.center(), l.sigma(),
                l.k(), Long.MIN_VALUE);
    }
}
