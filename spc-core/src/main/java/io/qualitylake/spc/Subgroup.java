package io.qualitylake.spc;

/**
 * One rational subgroup of a characteristic, summarised: size, mean, sum of squared deviations from
 * its mean (so variances combine exactly), range, and the spec limits in force when it was taken.
 *
 * @param timeMillis time of its first measurement (orders subgroups; decides the period)
 * @param m2         Σ (xᵢ − mean)², 0 for a single value
 * @param lsl        lower spec limit, null when the spec is one-sided
 * @param usl        upper spec limit, null when the spec is one-sided
 */
public record Subgroup(String id, long timeMillis, int k, double mean, double m2, double min, double max, Double lsl, Double usl) {
    public double range() {
        return max - min;
    }

    /** Sample standard deviation of the subgroup (k ≥ 2). */
    public double s() {
        return Math.sqrt(m2 / (k - 1));
    }

    /** A subgroup from raw values, for tests and examples. */
    public static Subgroup of(String id, long timeMillis, Double lsl, Double usl, double... values) {
        double mean = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            mean += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        mean /= values.length;
        double m2 = 0;
        for (double v : values) {
            m2 += (v - mean) * (v - mean);
        }
        return new Subgroup(id, timeMillis, values.length, mean, m2, min, max, lsl, usl);
    }
}
