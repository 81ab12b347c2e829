package io.qualitylake.streaming.monitor;

import io.qualitylake.spc.ControlChart;

/**
 * Everything the monitor remembers about one characteristic between subgroups (a Flink POJO in keyed
 * state), all of bounded size: the limits in use, the last {@link io.qualitylake.spc.NelsonRules#WINDOW}
 * standardised points, the EWMA and CUSUM statistics, the ids of the last {@link #RECENT} completed
 * subgroups (stragglers of those are dropped, not re-opened), and the idle-expiry timer.
 */
public class ChartState {
    static final int RECENT = 32;

    /** Null until limits are known (published, or self-started after the baseline). */
    public String limitsVersion;
    public String limitsSource;
    public String chart;
    public double center;
    public double sigma;
    public int k;
    /** Subgroups that started at or before this time are the limits' own baseline and are not judged. */
    public long baselineEndMillis = Long.MIN_VALUE;
    public double[] window = new double[0];
    public int ewmaCount;
    public double ewma;
    public double cusumUp;
    public double cusumDown;
    public String[] recentDone = new String[0];
    public int baselineCount;
    public long maxSeenMillis = Long.MIN_VALUE;
    public long idleTimer = Long.MIN_VALUE;

    public ChartState() {}

    boolean hasLimits() {
        return limitsVersion != null;
    }

    /** Adopts new limits and starts the rule windows, EWMA and CUSUM afresh (old points were judged by other limits). */
    void use(String version, String source, ControlChart.Type type, double center, double sigma, int k, long baselineEnd) {
        this.limitsVersion = version;
        this.limitsSource = source;
        this.chart = type.name();
        this.center = center;
        this.sigma = sigma;
        this.k = k;
        this.baselineEndMillis = baselineEnd;
        this.window = new double[0];
        this.ewmaCount = 0;
        this.ewma = center;
        this.cusumUp = 0;
        this.cusumDown = 0;
        this.baselineCount = 0;
    }

    /** σ of one plotted point of size {@code kPoint}: the batch job's definition. */
    double sigmaOfPoint(int kPoint) {
        return limits().sigmaOfPoint(kPoint);
    }

    ControlChart.Limits limits() {
        ControlChart.Type type = ControlChart.Type.valueOf(chart);
        return new ControlChart.Limits(type, center, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, k, sigma, null);
    }

    boolean isDone(String subgroupId) {
        for (String s : recentDone) {
            if (s.equals(subgroupId)) {
                return true;
            }
        }
        return false;
    }

    void markDone(String subgroupId) {
        int keep = Math.min(recentDone.length, RECENT - 1);
        String[] next = new String[keep + 1];
        System.arraycopy(recentDone, recentDone.length - keep, next, 0, keep);
        next[keep] = subgroupId;
        recentDone = next;
    }
}
