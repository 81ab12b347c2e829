package io.qualitylake.streaming.ingest;

import java.util.List;

/** Minimum, median and maximum of the per-run ratios of a benchmark (the median of an even count is the mean of the middle two). */
public record RatioSummary(double min, double median, double max) {
    public static RatioSummary of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no runs");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new RatioSummary(v[0], median, v[n - 1]);
    }

    @Override
    public String toString() {
        return String.format("min %.2f median %.2f max %.2f", min, median, max);
    }
}
