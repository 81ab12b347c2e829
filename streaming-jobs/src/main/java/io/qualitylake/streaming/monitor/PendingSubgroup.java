package io.qualitylake.streaming.monitor;

import io.qualitylake.spc.Subgroup;

/**
 * A subgroup still collecting measurements (a Flink POJO in keyed state): running size, mean and
 * Σ squared deviations (Welford), range, first and last event time, and the event-id hashes seen, so a
 * duplicated measurement is counted once. Holds at most one hash per measurement of one subgroup.
 */
public class PendingSubgroup {
    public String subgroupId;
    public int k;
    public double mean;
    public double m2;
    public double min;
    public double max;
    public long firstMillis;
    public long lastMillis;
    public long[] hashes;
    /** The event-time timer this subgroup holds (one at a time; moved on when it fires early). */
    public long timerMillis;

    public PendingSubgroup() {}

    static PendingSubgroup start(MeasurementPoint p) {
        PendingSubgroup g = new PendingSubgroup();
        g.subgroupId = p.subgroupId;
        g.min = Double.POSITIVE_INFINITY;
        g.max = Double.NEGATIVE_INFINITY;
        g.firstMillis = Long.MAX_VALUE;
        g.lastMillis = Long.MIN_VALUE;
        g.hashes = new long[0];
        g.add(p);
        return g;
    }

    boolean contains(long hash) {
        for (long h : hashes) {
            if (h == hash) {
                return true;
            }
        }
        return false;
    }

    void add(MeasurementPoint p) {
        k++;
        double delta = p.value - mean;
        mean += delta / k;
        m2 += delta * (p.value - mean);
        min = Math.min(min, p.value);
        max = Math.max(max, p.value);
        firstMillis = Math.min(firstMillis, p.timeMillis);
        lastMillis = Math.max(lastMillis, p.timeMillis);
        hashes = java.util.Arrays.copyOf(hashes, hashes.length + 1);
        hashes[hashes.length - 1] = p.eventHash;
    }

    /** The batch job's summary of the same subgroup (its time is that of its first measurement). */
    Subgroup toSubgroup() {
        return new Subgroup(subgroupId, firstMillis, k, mean, m2, min, max, null, null);
    }
}
