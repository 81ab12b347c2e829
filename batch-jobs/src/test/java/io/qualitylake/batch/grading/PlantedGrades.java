package io.qualitylake.batch.grading;

import io.qualitylake.grading.Rubric;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Published line grades against the simulator's planted truth (truth.json {@code line_months}: the
 * expected indicators under the planted parameters and their rubric score), over the complete months
 * of a world with the bad-lot line left out (it carries a second planted cause, a supplier lot, which
 * the other lines' order says nothing about). The issue-18 bars: Spearman(score, true score) per
 * month, coverage of the true score by score_lo–score_hi, and grade agreement away from band edges.
 */
final class PlantedGrades {
    private PlantedGrades() {}

    /** Margin (score points) around a band edge inside which a grade is not judged (issue 18). */
    static final double EDGE_MARGIN = 3;

    /**
     * @param spearman per complete month
     * @param covered  graded line-months whose interval holds the true score, of {@code graded}
     * @param agree    line-months graded as the true grade, of {@code clear} (true score more than 3 points from a band edge)
     * @param rescored line-months whose truth was rescored over the indicators the published row has
     * @param bias     per indicator, the mean of published − true over the graded line-months (relative for dpmo, afr_ratio, quality_loss_rate)
     */
    record Figures(Map<String, Double> spearman, int covered, int graded, int agree, int clear, Map<String, Double> bias,
                   Map<String, Double> indicatorCoverage, int rescored) {
        double coverage() {
            return (double) covered / graded;
        }

        double agreement() {
            return (double) agree / clear;
        }

        double minSpearman() {
            return spearman.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("Spearman(score, true score)");
            spearman.forEach((m, r) -> s.append(String.format(" %s %.3f", m, r)));
            s.append(String.format("; coverage %d/%d = %.3f (%d rescored over the published indicators); grade agreement away from band edges %d/%d = %.3f; mean bias",
                    covered, graded, coverage(), rescored, agree, clear, agreement()));
            bias.forEach((i, b) -> s.append(String.format(" %s %+.4f", i, b)));
            s.append("; indicator intervals covering the expected value");
            indicatorCoverage.forEach((i, c) -> s.append(String.format(" %s %.3f", i, c)));
            return s.toString();
        }
    }

    /** Months wholly inside [first, last]. */
    static List<String> completeMonths(LocalDate first, LocalDate last) {
        List<String> complete = new ArrayList<>();
        for (YearMonth m = YearMonth.from(first); !m.isAfter(YearMonth.from(last)); m = m.plusMonths(1)) {
            if (!m.atDay(1).isBefore(first) && !m.atEndOfMonth().isAfter(last)) {
                complete.add(m.toString());
            }
        }
        return complete;
    }

    /** The line building with the planted bad lot, or null. */
    @SuppressWarnings("unchecked")
    static String badLotLine(Map<String, Object> truth) {
        Map<String, Object> bad = (Map<String, Object>) truth.get("bad_lot");
        if (bad == null) {
            return null;
        }
        for (Map<String, Object> l : (List<Map<String, Object>>) truth.get("lines")) {
            if (l.get("plant_id").equals(bad.get("plant_id")) && l.get("product_model").equals(bad.get("product_model"))) {
                return l.get("line_id").toString();
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Figures compare(Dataset<Row> lineGrades, Map<String, Object> truth, Rubric rubric) {
        LocalDate first = LocalDate.parse(truth.get("start_date").toString());
        LocalDate last = LocalDate.parse(truth.get("end_date_exclusive").toString()).minusDays(1);
        List<String> months = completeMonths(first, last);
        String bad = badLotLine(truth);
        Map<String, Map<String, Object>> expected = new HashMap<>();
        for (Map<String, Object> lm : (List<Map<String, Object>>) truth.get("line_months")) {
            expected.put(lm.get("period") + "|" + lm.get("line_id"), lm);
        }
        List<Row> rows = lineGrades.filter("grade != 'INSUFFICIENT_DATA'")
                .select("period", "line_id", "score", "score_lo", "score_hi", "grade", "fpy", "critical_cpk_share", "dpmo",
                        "afr_ratio", "quality_loss_rate", "fpy_lo", "fpy_hi", "critical_cpk_share_lo", "critical_cpk_share_hi",
                        "dpmo_lo", "dpmo_hi", "afr_ratio_lo", "afr_ratio_hi", "quality_loss_rate_lo", "quality_loss_rate_hi", "gate_failed").collectAsList();
        Map<String, Double> spearman = new LinkedHashMap<>();
        int covered = 0;
        int graded = 0;
        int agree = 0;
        int clear = 0;
        Map<String, double[]> bias = new LinkedHashMap<>();
        Map<String, double[]> hits = new LinkedHashMap<>();
        double[] diff = new double[2];
        int rescored = 0;
        for (String m : months) {
            List<double[]> pairs = new ArrayList<>();
            for (Row r : rows) {
                Map<String, Object> t = expected.get(r.getString(0) + "|" + r.getString(1));
                if (!r.getString(0).equals(m) || r.getString(1).equals(bad) || t == null || t.get("score") == null) {
                    continue;
                }
                double trueScore = ((Number) t.get("score")).doubleValue();
                String trueGrade = t.get("grade").toString();
                // The rubric scores the indicators a row has, weights renormalised. Where the published row
                // lacks one the truth has (a young fleet's month without failures has a peer median AFR of 0,
                // so no afr_ratio), its score estimates the rubric over the others: the truth is rescored so.
                Map<String, Double> v = new LinkedHashMap<>();
                boolean same = true;
                for (int i = 0; i < Rubric.KNOWN.size(); i++) {
                    Object e = t.get(Rubric.KNOWN.get(i));
                    same &= (e == null) == r.isNullAt(6 + i);
                    v.put(Rubric.KNOWN.get(i), e == null || r.isNullAt(6 + i) ? null : ((Number) e).doubleValue());
                }
                if (!same) {
                    Rubric.Graded g = rubric.grade(v, ((Number) t.get("units")).longValue(), r.getBoolean(21));
                    trueScore = g.score();
                    trueGrade = g.grade();
                    rescored++;
                }
                pairs.add(new double[] {r.getDouble(2), trueScore});
                if (System.getProperty("qlake.detail") != null) {
                    StringBuilder d = new StringBuilder(String.format("row %s %-8s score %6.2f [%6.2f, %6.2f] true %6.2f |", m, r.getString(1),
                            r.getDouble(2), r.getDouble(3), r.getDouble(4), trueScore));
                    for (int i = 0; i < Rubric.KNOWN.size(); i++) {
                        Object e = t.get(Rubric.KNOWN.get(i));
                        d.append(String.format(" %s %s/%s", Rubric.KNOWN.get(i), r.isNullAt(6 + i) ? "-" : String.format("%.4g", r.getDouble(6 + i)),
                                e == null ? "-" : String.format("%.4g", ((Number) e).doubleValue())));
                    }
                    System.out.println(d);
                }
                graded++;
                boolean hit = r.getDouble(3) <= trueScore && trueScore <= r.getDouble(4);
                covered += hit ? 1 : 0;
                diff[0] += r.getDouble(2) - trueScore;
                diff[1] += r.getDouble(4) - r.getDouble(3);
                if (!hit && System.getProperty("qlake.misses") != null) {
                    StringBuilder why = new StringBuilder(String.format("miss %s %s score %.2f [%.2f, %.2f] true %.2f:", m, r.getString(1),
                            r.getDouble(2), r.getDouble(3), r.getDouble(4), trueScore));
                    for (int i = 0; i < Rubric.KNOWN.size(); i++) {
                        String ind = Rubric.KNOWN.get(i);
                        Rubric.Indicator ri = rubric.indicators().stream().filter(x -> x.id().equals(ind)).findFirst().orElseThrow();
                        if (!r.isNullAt(6 + i) && t.get(ind) != null) {
                            why.append(String.format(" %s %.4g(%.1f) vs %.4g(%.1f)", ind, r.getDouble(6 + i), ri.score(r.getDouble(6 + i)),
                                    ((Number) t.get(ind)).doubleValue(), ri.score(((Number) t.get(ind)).doubleValue())));
                        }
                    }
                    System.out.println(why);
                }
                if (distanceToBandEdge(rubric, trueScore) > EDGE_MARGIN) {
                    clear++;
                    agree += r.getString(5).equals(trueGrade) ? 1 : 0;
                }
                for (int i = 0; i < Rubric.KNOWN.size(); i++) {
                    String ind = Rubric.KNOWN.get(i);
                    if (r.isNullAt(6 + i) || t.get(ind) == null) {
                        continue;
                    }
                    double e = ((Number) t.get(ind)).doubleValue();
                    double d = i >= 2 ? r.getDouble(6 + i) / e - 1 : r.getDouble(6 + i) - e;
                    double[] acc = bias.computeIfAbsent(ind, k -> new double[2]);
                    acc[0] += d;
                    acc[1]++;
                    int lo = 11 + 2 * i;
                    if (!r.isNullAt(lo) && !r.isNullAt(lo + 1)) {
                        double[] h = hits.computeIfAbsent(ind, k -> new double[2]);
                        h[0] += r.getDouble(lo) <= e && e <= r.getDouble(lo + 1) ? 1 : 0;
                        h[1]++;
                    }
                }
            }
            spearman.put(m, new SpearmansCorrelation().correlation(pairs.stream().mapToDouble(p -> p[0]).toArray(),
                    pairs.stream().mapToDouble(p -> p[1]).toArray()));
        }
        Map<String, Double> meanBias = new LinkedHashMap<>();
        bias.forEach((k, v) -> meanBias.put(k, v[0] / v[1]));
        if (System.getProperty("qlake.misses") != null) {
            System.out.printf("mean published - true score %.2f, mean interval width %.2f%n", diff[0] / graded, diff[1] / graded);
        }
        Map<String, Double> indicatorCoverage = new LinkedHashMap<>();
        hits.forEach((k, v) -> indicatorCoverage.put(k, v[0] / v[1]));
        return new Figures(spearman, covered, graded, agree, clear, meanBias, indicatorCoverage, rescored);
    }

    static double distanceToBandEdge(Rubric rubric, double score) {
        return rubric.bands().stream().mapToDouble(b -> Math.abs(score - b.minScore())).min().orElse(100);
    }
}
