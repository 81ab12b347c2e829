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
     * Empirical Bayes for indicator i over the k lines of the group that have it (fewer than 4: no
     * shrinkage). Each line's value x moves toward the group mean m by the share B = v / (v + A) of
     * its distance, with v the line's sampling variance and A the between-line variance, and its
     * draws are recentred on the shrunk value and scaled to Morris's (1983, JASA 78:47–55) posterior
     * variance (1 − (k − 1)/k·B)·v + 2/(k − 3)·B²·(x − m)², the normal-normal posterior (1 − B)·v
     * widened for m and A being estimated from the same k lines (without it a small group's
     * intervals are too narrow for the lines far from its mean).
     * <ul>
     *   <li>Counts (dpmo, AFR ratio, quality-loss rate) and fpy: v comes from the group's pooled rate,
     *       not the line's own count — v = m / E for a rate of a Poisson count over exposure E,
     *       m(1 − m) / n for fpy — and m, A are the exposure-weighted moments of Marshall (1991),
     *       A = Σ E(x − m)² / Σ E − m / Ē. With the line's own count a line that saw few failures by
     *       chance would look precise and be shrunk least, which is backwards.</li>
     *   <li>The critical-Cpk share: v is the variance of its draws (Bissell per characteristic), A
     *       the method-of-moments spread var(x) − mean(v), unweighted.</li>
     * </ul>
     */
    static void shrink(List<Line> lines, int i) {
        List<Line> with = lines.stream().filter(l -> l.values[i] != null).toList();
        if (with.size() < 4) {
            return;
        }
        double[] x = with.stream().mapToDouble(l -> l.values[i]).toArray();
        double[] v = new double[x.length];
        double[] b = new double[x.length];
        double m;
        if (i == GradeUncertainty.CPK) {
            m = Arrays.stream(x).average().orElse(0);
            double spread = Arrays.stream(x).map(y -> (y - m) * (y - m)).sum() / (x.length - 1);
            for (int j = 0; j < x.length; j++) {
                v[j] = GradeUncertainty.variance(with.get(j).draws[i]);
            }
            double tau2 = Math.max(0, spread - Arrays.stream(v).filter(y -> !Double.isNaN(y)).average().orElse(0));
            for (int j = 0; j < x.length; j++) {
                b[j] = Double.isNaN(v[j]) || v[j] + tau2 == 0 ? 0 : v[j] / (v[j] + tau2);
            }
        } else {
            double[] e = exposures(with, i);
            double total = Arrays.stream(e).sum();
            if (!(total > 0)) {
                return;
            }
            double mean = 0;
            for (int j = 0; j < x.length; j++) {
                mean += e[j] * x[j] / total;
            }
            m = mean;
            double spread = 0;
            for (int j = 0; j < x.length; j++) {
                spread += e[j] * (x[j] - m) * (x[j] - m) / total;
            }
            double unit = i == GradeUncertainty.FPY ? m * (1 - m) : m; // variance × exposure under the pooled rate
            double a = Math.max(0, spread - unit / (total / x.length));
            for (int j = 0; j < x.length; j++) {
                v[j] = e[j] > 0 ? unit / e[j] : Double.NaN;
                b[j] = Double.isNaN(v[j]) || v[j] + a == 0 ? 0 : v[j] / (v[j] + a);
            }
        }
        for (int j = 0; j < with.size(); j++) {
            Line l = with.get(j);
            double raw = x[j];
            l.values[i] = b[j] * m + (1 - b[j]) * raw;
            // Morris's posterior variance; the draws keep their shape (and the AFR median's co-movement)
            double own = GradeUncertainty.variance(l.draws[i]);
            double k = with.size();
            double target = (1 - (k - 1) / k * b[j]) * (Double.isNaN(v[j]) ? own : v[j])
                    + 2 / (k - 3) * b[j] * b[j] * (raw - m) * (raw - m);
            double scale = own > 0 ? Math.sqrt(target / own) : 0;
            for (int d = 0; d < l.draws[i].length; d++) {
                l.draws[i][d] = l.values[i] + scale * (l.draws[i][d] - raw);
            }
        }
    }

    /**
     * Each line's exposure for indicator i, in units where value = count ÷ exposure (fpy: units):
     * dpmo, opportunities ÷ 10⁶; AFR ratio, unit-years ÷ 100 × the peer median; quality-loss rate,
     * output ÷ (100 × the group's mean cost per loss event).
     */
    private static double[] exposures(List<Line> with, int i) {
        double[] e = new double[with.size()];
        double loss = with.stream().mapToDouble(l -> l.e.wLoss()).sum();
        double events = with.stream().mapToDouble(l -> l.e.wLossEvents()).sum();
        for (int j = 0; j < e.length; j++) {
            GradeUncertainty.Evidence ev = with.get(j).e;
            e[j] = switch (i) {
                case GradeUncertainty.FPY -> ev.wUnits();
                case GradeUncertainty.DPMO -> ev.wOpportunities() / 1e6;
                case GradeUncertainty.AFR -> ev.wUnitDays() / 365.0 / 100 * ev.peerMedianAfr();
                default -> events > 0 && loss > 0 ? ev.wOutputValue() / (100 * loss / events) : 0;
            };
        }
        return e;
    }

    static Map<String, Double> asMap(Double[] v) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < 5; i++) {
            m.put(Rubric.KNOWN.get(i), v[i]);
        }
        return m;
    }
}
