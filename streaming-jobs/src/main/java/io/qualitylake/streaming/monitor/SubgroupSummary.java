package io.qualitylake.streaming.monitor;

import io.qualitylake.spc.Subgroup;

/** A completed subgroup kept for a self-started baseline (a Flink POJO in keyed list state). */
public class SubgroupSummary {
    public String id;
    public long timeMillis;
    public int k;
    public double mean;
    public double m2;
    public double min;
    public double max;

    public SubgroupSummary() {}

    static SubgroupSummary of(Subgroup g) {
        SubgroupSummary s = new SubgroupSummary();
        s.id = g.id();
        s.timeMillis = g.timeMillis();
        s.k = g.k();
        s.mean = g.mean();
        s.m2 = g.m2();
        s.min = g.min();
        s.max = g.max();
        return s;
    }

    Subgroup toSubgroup() {
        return new Subgroup(id, timeMillis, k, mean, m2, min, max, null, null);
    }
}
