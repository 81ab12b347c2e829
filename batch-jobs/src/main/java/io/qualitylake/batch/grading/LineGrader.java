package io.qualitylake.batch.grading;

import io.qualitylake.grading.Rubric;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * Grades one peer group's lines for one month by the rubric, with how sure each grade is: optional
 * empirical-Bayes shrinkage of each indicator toward the peer-group mean, the rubric score, and from
 * {@link GradeUncertainty}'s draws the score's 95 % interval, the probability of the published grade
 * and the 95 % range of the line's rank in the group. Pure Java over a handful of aggregated rows.
 */
final class LineGrader {
    private LineGrader() {}

    /** What a graded line-month adds to the row besides the rubric's scores. */
    record Confidence(Double[] values, double[][] intervals, Double scoreLo, Double scoreHi, Double gradeConfidence,
                      Integer rankLo, Integer rankHi) {}

    /** One line of the group while it is being graded. */
    private static final class Line {
        final Row row;
        final GradeUncertainty.Evidence e;
        final Double[] values;
        final double[][] draws;
        Rubric.Graded graded;
        double[] drawScores;
        int[] drawRanks;

        Line(Row row, GradeUncertainty.Evidence e, int draws) {
            this.row = row;
            this.e = e;
            this.values = GradeUncertainty.values(e);
            this.draws = GradeUncertainty.draws(e, draws);
        }
    }

    static GradeUncertainty.Evidence evidence(Row r) {
        List<Row> cpks = r.getList(r.fieldIndex("w_cpks"));
        double[] cpk = new double[cpks.size()];
        long[] n = new long[cpks.size()];
        for (int i = 0; i < cpk.length; i++) {
            cpk[i] = cpks.get(i).getDouble(0);
            n[i] = cpks.get(i).isNullAt(1) ? 0 : cpks.get(i).getLong(1);
        }
        int pm = r.fieldIndex("peer_median_afr");
        return new GradeUncertainty.Evidence(r.getString(r.fieldIndex("line_id")), r.getString(r.fieldIndex("period")),
                num(r, "units").longValue(), num(r, "w_units").longValue(), num(r, "w_first_pass").longValue(),
                num(r, "w_defects").doubleValue(), num(r, "w_opportunities").doubleValue(), num(r, "w_loss").doubleValue(),
                num(r, "w_output_value").doubleValue(), num(r, "w_loss_events").doubleValue(), num(r, "w_unit_days").doubleValue(),
                num(r, "w_failures").longValue(), cpk, n, r.isNullAt(pm) ? null : r.getDouble(pm));
    }

    private static Number num(Row r, String c) {
        int i = r.fieldIndex(c);
        return r.isNullAt(i) ? 0 : (Number) r.get(i);
    }

    /** Grades the rows of one period × peer group; returns them with their grade and confidence, in input order. */
    static List<Map.Entry<Row, Map.Entry<Rubric.Graded, Confidence>>> grade(List<Row> rows, Rubric rubric) {
        Rubric.Stability s = rubric.stability();
        List<Line> lines = new ArrayList<>();
        for (Row r : rows) {
            lines.add(new Line(r, evidence(r), s.draws()));
        }
        boolean medianDrawn = drawPeerMedian(lines, s.draws());
        if (s.empiricalBayes()) {
            for (int i = 0; i < 5; i++) {
                shrink(lines, i);
            }
        }
        List<Line> graded = new ArrayList<>();
        for (Line l : lines) {
            boolean gateHit = l.row.getLong(l.row.fieldIndex("gate_failures")) > 0;
            l.graded = rubric.grade(asMap(l.values), l.e.units(), gateHit);
            if (l.graded.grade().equals(Rubric.INSUFFICIENT)) {
                continue;
            }
            graded.add(l);
            l.drawScores = new double[s.draws()];
            Double[] v = new Double[5];
            for (int b = 0; b < s.draws(); b++) {
                for (int i = 0; i < 5; i++) {
                    v[i] = l.values[i] == null ? null : l.draws[i][b];
                }
                l.drawScores[b] = rubric.grade(asMap(v), l.e.units(), false).score();
            }
        }
        ranks(graded, s.draws());
        // the published rank (rank_in_peer's order: score, then line id)
        List<Line> byScore = new ArrayList<>(graded);
        byScore.sort(Comparator.comparing((Line l) -> -l.graded.score()).thenComparing(l -> l.e.lineId()));
        Map<Line, Integer> pointRank = new java.util.IdentityHashMap<>();
        for (int i = 0; i < byScore.size(); i++) {
            pointRank.put(byScore.get(i), i + 1);
        }
        List<Map.Entry<Row, Map.Entry<Rubric.Graded, Confidence>>> out = new ArrayList<>();
        for (Line l : lines) {
            Confidence c;
            if (l.drawScores == null) {
                c = new Confidence(l.values, new double[5][], null, null, null, null, null);
            } else {
                boolean gateHit = l.row.getLong(l.row.fieldIndex("gate_failures")) > 0;
                long same = Arrays.stream(l.drawScores).filter(x -> capped(rubric, rubric.band(x), gateHit).equals(l.graded.grade())).count();
                double[] sc = GradeUncertainty.percentiles(l.drawScores);
                int[] rk = l.drawRanks.clone();
                Arrays.sort(rk);
                double[][] ci = s.empiricalBayes() ? shrunkIntervals(l) : GradeUncertainty.intervals(l.e, l.draws);
                if (medianDrawn && l.values[GradeUncertainty.AFR] != null) {
                    ci[GradeUncertainty.AFR] = GradeUncertainty.percentiles(l.draws[GradeUncertainty.AFR]);
                }
                // percentile intervals, widened to hold the published point where it sits at a clamp
                // (e.g. zero defects scores 100, every drawn rate a little less)
                double score = l.graded.score();
                int rank = pointRank.get(l);
                c = new Confidence(l.values, ci, Math.min(sc[0], score), Math.max(sc[1], score), (double) same / s.draws(),
                        Math.min(rank, rk[(int) Math.floor(0.025 * (rk.length - 1))]),
                        Math.max(rank, rk[(int) Math.ceil(0.975 * (rk.length - 1))]));
            }
            out.add(Map.entry(l.row, Map.entry(l.graded, c)));
        }
        return out;
    }

    /**
     * The AFR ratio's denominator, the peer group's median AFR, is itself a sample: in each draw it is
     * recomputed as the median of the group's drawn AFRs (the lower middle one for an even count, the
     * element Spark's percentile_approx(0.5) picks), so the ratio's draws carry the median's noise too.
     * A month of few failures moves the whole group's ratios together through its median, and the
     * line's own count sits in the median, so the ratio is not simply wider than with a fixed median
     * (GradeUncertaintyTest checks it against the simulated sampling distribution). Done only when the rows' peer median is the median of these rows' AFRs, as it is in the
     * job (a caller passing an outside median keeps it fixed). Draws stay a function of the line,
     * period and peer group, so reruns agree.
     *
     * @return whether the median was redrawn
     */
    static boolean drawPeerMedian(List<Line> lines, int draws) {
        List<Line> with = lines.stream().filter(l -> l.values[GradeUncertainty.AFR] != null).toList();
        if (with.size() < 2) {
            return false;
        }
        double[] points = with.stream().mapToDouble(l -> l.values[GradeUncertainty.AFR]).sorted().toArray();
        // the ratios' own median is 1 exactly when the rows' peer median is the median of these lines
        if (Math.abs(lowerMedian(points) - 1) > 1e-9) {
            return false;
        }
        double[] drawn = new double[with.size()];
        for (int b = 0; b < draws; b++) {
            for (int j = 0; j < drawn.length; j++) {
                drawn[j] = with.get(j).draws[GradeUncertainty.AFR][b];
            }
            double[] sorted = drawn.clone();
            Arrays.sort(sorted);
            double median = lowerMedian(sorted);
            for (Line l : with) {
                l.draws[GradeUncertainty.AFR][b] /= median;
            }
        }
        return true;
    }

    private static double lowerMedian(double[] sorted) {
        return sorted[(sorted.length + 1) / 2 - 1];
    }

    private static String capped(Rubric rubric, String grade, boolean gateHit) {
        return gateHit && rubric.gate() != null && rubric.rank(grade) < rubric.rank(rubric.gate().maxGrade())
                ? rubric.gate().maxGrade() : grade;
    }

    private static double[][] shrunkIntervals(Line l) {
        double[][] ci = new double[5][];
        for (int i = 0; i < 5; i++) {
            ci[i] = l.values[i] == null ? null : GradeUncertainty.percentiles(l.draws[i]);
        }
        return ci;
    }

    /** In each draw, every graded line's rank by its drawn score (1 = best; ties by line id, as rank_in_peer). */
    private static void ranks(List<Line> graded, int draws) {
        graded.sort(Comparator.comparing(l -> l.e.lineId()));
        for (Line l : graded) {
            l.drawRanks = new int[draws];
        }
        Integer[] order = new Integer[graded.size()];
        for (int b = 0; b < draws; b++) {
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            final int d = b;
            Arrays.sort(order, (x, y) -> Double.compare(graded.get(y).drawScores[d], graded.get(x).drawScores[d]));
            for (int pos = 0; pos < order.length; pos++) {
                graded.get(order[pos]).drawRanks[b] = pos + 1;
            }
        }
    }

    /**
     * Empirical Bayes (method of moments) for indicator i over the lines that have it: with each
     * line's sampling variance vⱼ (the variance of its draws), the between-line variance
     * τ² = max(0, var(x) − mean(v)) and the peer mean μ, a line's value moves toward μ by
     * Bⱼ = vⱼ / (vⱼ + τ²), and its draws are recentred there with their spread scaled by √(1 − Bⱼ)
     * (the normal-normal posterior variance (1 − B)·v). Fewer than 3 lines: no shrinkage.
     */
    static void shrink(List<Line> lines, int i) {
        List<Line> with = lines.stream().filter(l -> l.values[i] != null).toList();
        if (with.size() < 3) {
            return;
        }
        double mu = with.stream().mapToDouble(l -> l.values[i]).average().orElse(0);
        double spread = with.stream().mapToDouble(l -> (l.values[i] - mu) * (l.values[i] - mu)).sum() / (with.size() - 1);
        double[] v = with.stream().mapToDouble(l -> GradeUncertainty.variance(l.draws[i])).toArray();
        double meanV = Arrays.stream(v).filter(x -> !Double.isNaN(x)).average().orElse(0);
        double tau2 = Math.max(0, spread - meanV);
        for (int j = 0; j < with.size(); j++) {
            double b = Double.isNaN(v[j]) || v[j] + tau2 == 0 ? 0 : v[j] / (v[j] + tau2);
            Line l = with.get(j);
            double raw = l.values[i];
            l.values[i] = b * mu + (1 - b) * raw;
            // normal-normal posterior: centred on the shrunk value with variance (1 − B)·v
            double scale = Math.sqrt(1 - b);
            for (int k = 0; k < l.draws[i].length; k++) {
                l.draws[i][k] = l.values[i] + scale * (l.draws[i][k] - raw);
            }
        }
    }

    static Map<String, Double> asMap(Double[] v) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            m.put(Rubric.KNOWN.get(i), v[i]);
        }
        return m;
    }
}
