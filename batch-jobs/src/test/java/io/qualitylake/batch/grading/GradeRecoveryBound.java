package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import io.qualitylake.grading.Rubric;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurement, not a regression test: how high Spearman(score, true score) per month can go on a
 * world at all, whatever the estimator, given only the data the world has. For every graded
 * line-month it takes the planted expected indicators (truth.json {@code line_months}) and the
 * exposure the lake really holds over the rubric's windows (the job's own windowed counts: units,
 * opportunities, unit-days, the loss's effective number of events, the critical characteristic-months),
 * and draws each indicator around its <em>true</em> value from its own sampling distribution — the
 * models the interval code uses, centred on the truth instead of the estimate:
 * <ul>
 *   <li>fpy = Binomial(units, fpy*) / units;</li>
 *   <li>dpmo = Poisson(dpmo* × opportunities / 10⁶) / opportunities × 10⁶;</li>
 *   <li>quality-loss rate = qlr* × Gamma(m, 1/m), m the effective number of loss events (compound-Poisson variance);</li>
 *   <li>AFR: failures = Poisson(μ), μ = afr_ratio* × unit-days × M, with the scale M set so the peer group's
 *       expected failures equal those the lake holds (truth.json gives the ratio, not the absolute rate);</li>
 *   <li>critical-Cpk share: Binomial(K, share*) / K over the window's K critical characteristic-months.</li>
 * </ul>
 * Each draw is scored by the rubric and correlated, per complete month, with the true score exactly
 * as {@link PlantedGrades} does (bad-lot line left out; where the published row lacks an indicator,
 * the truth rescored without it, and the draw lacks it too). Variants:
 * <ul>
 *   <li><b>oracle</b>: the estimator knows the true peer-median AFR (the ratio's only noise is the line's own
 *       failure count) and the critical-Cpk share exactly — an optimistic estimator: any estimator reading each
 *       line from its own window's data does no better on average, so a median below 0.85 here means the
 *       per-month bar cannot be met on that world by changing the estimator alone;</li>
 *   <li><b>plug-in</b>: the peer median redrawn from the group's drawn AFRs (as the job's bootstrap does) and
 *       the share binomial — a realistic unbiased estimator;</li>
 *   <li><b>fpy only</b>, <b>afr only</b>: the oracle with one indicator noisy and the others exact, to see
 *       which indicator's sampling error sets the bound;</li>
 *   <li><b>bayes oracle</b>: every indicator noisy (peer median known), each line scored by the posterior mean
 *       of its true score under a prior that knows the month's true indicator vectors exactly but not which line
 *       has which (likelihoods of the drawn counts under the models above). This is the ceiling of shrinkage and
 *       pooling estimators (empirical Bayes can only approximate this prior): where even its median stays below
 *       0.85, the month's data cannot order the lines well enough, whatever the estimator.</li>
 * </ul>
 * Printed per month: the published score's Spearman (recomputed here from the same evidence, a check
 * against {@link GradeRecoveryMeasure}), then per variant the median, 5–95 % range and P(ρ ≥ 0.85)
 * over the draws. Run with
 * {@code nice -n 10 mvn -B -o -q -pl batch-jobs -am -Dtest=GradeRecoveryBound -Dqlake.bound=SEED:PLANTS:DAYS[,…|,ci]
 * [-Dqlake.keep=DIR] [-Dqlake.boundDraws=2000] -Dsurefire.failIfNoSpecifiedTests=false test};
 * {@code ci} is {@code GradingJobTest}'s world; {@code -Dqlake.keep=DIR} reuses the lakes
 * {@link GradeRecoveryMeasure} kept there.
 */
@EnabledIfSystemProperty(named = "qlake.bound", matches = ".+")
class GradeRecoveryBound {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final double BAR = 0.85;

    /** Which indicators a variant draws with noise, whether the peer median is redrawn, whether the Cpk share is noisy. */
    record Variant(String name, boolean[] noisy, boolean drawnMedian, boolean cpkNoisy, boolean bayes) {}

    static List<Variant> variants() {
        return List.of(
                new Variant("oracle", new boolean[] {true, false, true, true, true}, false, false, false),
                new Variant("plug-in", new boolean[] {true, true, true, true, true}, true, true, false),
                new Variant("fpy only", new boolean[] {true, false, false, false, false}, false, false, false),
                new Variant("afr only", new boolean[] {false, false, false, true, false}, false, false, false),
                new Variant("bayes oracle", new boolean[] {true, true, true, true, true}, false, true, true));
    }

    @Test
    void bound() throws Exception {
        for (String w : System.getProperty("qlake.bound").split(",")) {
            if (w.equals("ci")) {
                GradingWorld g = GradingWorld.get();
                world("ci world (GradingJobTest, seed 5, 8 x 150)", g.lake, g.truth, g.asOf);
                continue;
            }
            String[] p = w.split(":");
            SimulationConfig d = SimulationConfig.defaults();
            SimulationConfig config = new SimulationConfig(Long.parseLong(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    d.start(), d.unitsPerDay(), d.subgroupsPerDay(), 0, 0, 0, 0);
            BatchTestSupport.Simulated sim = BatchTestSupport.simulate(config);
            Map<String, Object> truth = sim.truth().asMap();
            LocalDate asOf = LocalDate.parse(truth.get("as_of").toString());
            world("seed " + p[0] + ", " + p[1] + " x " + p[2], GradeRecoveryMeasure.prepared(SPARK, config, sim, asOf), truth, asOf);
        }
    }

    /** One line-month: the job's windowed evidence, its peer group and the planted truth. */
    record LineMonth(GradeUncertainty.Evidence e, String group, Map<String, Object> truth, boolean bad) {}

    @SuppressWarnings("unchecked")
    void world(String name, Path lake, Map<String, Object> truth, LocalDate asOf) {
        Rubric rubric = Rubric.load(null);
        List<Row> rows = evidence(lake, asOf, rubric).collectAsList();
        Map<String, Map<String, Object>> expected = new HashMap<>();
        for (Map<String, Object> lm : (List<Map<String, Object>>) truth.get("line_months")) {
            expected.put(lm.get("period") + "|" + lm.get("line_id"), lm);
        }
        String bad = PlantedGrades.badLotLine(truth);
        List<String> months = PlantedGrades.completeMonths(LocalDate.parse(truth.get("start_date").toString()),
                LocalDate.parse(truth.get("end_date_exclusive").toString()).minusDays(1));
        int draws = Integer.getInteger("qlake.boundDraws", 2000);
        System.out.printf("%n== bound: %s, %d draws per variant%n", name, draws);
        for (String m : months) {
            // every line of the month by peer group (the AFR median takes them all, the bad-lot line too)
            Map<String, List<LineMonth>> groups = new LinkedHashMap<>();
            for (Row r : rows) {
                if (r.getString(r.fieldIndex("period")).equals(m)) {
                    GradeUncertainty.Evidence e = LineGrader.evidence(r);
                    groups.computeIfAbsent(r.getString(r.fieldIndex("peer_group")), k -> new ArrayList<>())
                            .add(new LineMonth(e, r.getString(r.fieldIndex("peer_group")), expected.get(m + "|" + e.lineId()),
                                    e.lineId().equals(bad)));
                }
            }
            // the judged lines: graded, not the bad-lot line, with a true score; and their targets
            List<LineMonth> judged = new ArrayList<>();
            List<Double> target = new ArrayList<>();
            List<Double> published = new ArrayList<>();
            for (List<LineMonth> g : groups.values()) {
                for (LineMonth l : g) {
                    Double[] v = GradeUncertainty.values(l.e());
                    Rubric.Graded pg = rubric.grade(asMap(v), l.e().units(), false);
                    if (l.bad() || l.truth() == null || l.truth().get("score") == null || pg.grade().equals(Rubric.INSUFFICIENT)) {
                        continue;
                    }
                    judged.add(l);
                    target.add(target(rubric, l, v));
                    published.add(pg.score());
                }
            }
            double[] t = target.stream().mapToDouble(Double::doubleValue).toArray();
            StringBuilder out = new StringBuilder(String.format("%s (%d lines): published %.3f", m, judged.size(),
                    rho(published.stream().mapToDouble(Double::doubleValue).toArray(), t)));
            for (Variant var : variants()) {
                RandomGenerator rng = new Well19937c(Arrays.hashCode(new Object[] {name, m, var.name()}));
                double[] rhos = new double[draws];
                for (int b = 0; b < draws; b++) {
                    Map<LineMonth, Double[]> drawn = new HashMap<>();
                    Map<LineMonth, double[]> counts = new HashMap<>();
                    Map<LineMonth, Double> scales = new HashMap<>();
                    for (List<LineMonth> g : groups.values()) {
                        drawGroup(g, var, rng, drawn, counts, scales);
                    }
                    double[] s = new double[judged.size()];
                    for (int i = 0; i < s.length; i++) {
                        LineMonth l = judged.get(i);
                        s[i] = var.bayes() ? posteriorScore(rubric, l, drawn.get(l), counts.get(l), scales.get(l), judged)
                                : rubric.grade(asMap(drawn.get(l)), l.e().units(), false).score();
                    }
                    rhos[b] = rho(s, t);
                }
                Arrays.sort(rhos);
                long pass = Arrays.stream(rhos).filter(x -> x >= BAR).count();
                out.append(String.format(" | %s median %.3f [%.3f, %.3f] P(>=%.2f) %.3f", var.name(),
                        GradeUncertainty.quantile(rhos, 0.5), GradeUncertainty.quantile(rhos, 0.05),
                        GradeUncertainty.quantile(rhos, 0.95), BAR, (double) pass / draws));
            }
            System.out.println(out);
        }
    }

    /** The job's per-line-month evidence, built from the prepared lake exactly as {@link GradingJob} builds it. */
    static Dataset<Row> evidence(Path lake, LocalDate asOf, Rubric rubric) {
        JobContext ctx = new JobContext(Lake.at(lake.toString()), asOf, null, Map.of());
        Timestamp end = ctx.end();
        Dataset<Row> units = SilverTable.PRODUCTION_UNITS.read(SPARK, ctx).filter(col("event_time").lt(lit(end)));
        Dataset<Row> installs = SilverTable.INSTALLS.read(SPARK, ctx);
        Dataset<Row> failures = SilverTable.FIELD_FAILURES.read(SPARK, ctx);
        Dataset<Row> defects = SilverTable.DEFECTS.read(SPARK, ctx).filter(col("event_time").lt(lit(end)));
        Dataset<Row> spotChecks = SilverTable.SPOT_CHECKS.read(SPARK, ctx).filter(col("event_time").lt(lit(end)));
        return GradingTransforms.lineIndicators(Tables.gold(SPARK, ctx, "quality_kpis", "quality"),
                Tables.gold(SPARK, ctx, "process_capability", "capability"), FieldExposure.lineMonths(units, installs, failures, end),
                spotChecks, Dimension.PRODUCTS.read(SPARK, ctx),
                LineEvidence.lossSquares(defects, failures.filter(col("event_time").lt(lit(end))), units), rubric);
    }

    /** The true score over the indicators the published row has (as {@link PlantedGrades} rescoring it). */
    static double target(Rubric rubric, LineMonth l, Double[] published) {
        Map<String, Double> v = new LinkedHashMap<>();
        boolean same = true;
        for (int i = 0; i < Rubric.KNOWN.size(); i++) {
            Double e = trueValue(l, i);
            same &= (e == null) == (published[i] == null);
            v.put(Rubric.KNOWN.get(i), e == null || published[i] == null ? null : e);
        }
        return same ? ((Number) l.truth().get("score")).doubleValue() : rubric.grade(v, l.e().units(), false).score();
    }

    static Double trueValue(LineMonth l, int i) {
        Object e = l.truth() == null ? null : l.truth().get(Rubric.KNOWN.get(i));
        return e == null ? null : ((Number) e).doubleValue();
    }

    /** One draw of every line of a peer group: indicators the published row lacks stay missing. */
    static void drawGroup(List<LineMonth> g, Variant var, RandomGenerator rng, Map<LineMonth, Double[]> out,
                          Map<LineMonth, double[]> counts, Map<LineMonth, Double> scales) {
        // AFR scale: expected failures ∝ afr_ratio* × unit-days, summing to the failures the group's windows hold
        double observed = 0;
        double weight = 0;
        for (LineMonth l : g) {
            Double ratio = trueValue(l, GradeUncertainty.AFR);
            if (ratio != null && l.e().wUnitDays() > 0) {
                observed += l.e().wFailures();
                weight += ratio * l.e().wUnitDays();
            }
        }
        double scale = weight > 0 ? observed / weight : 0;
        double[] afr = new double[g.size()];
        List<Double> all = new ArrayList<>();
        for (int j = 0; j < g.size(); j++) {
            LineMonth l = g.get(j);
            Double[] pub = GradeUncertainty.values(l.e());
            Double[] d = new Double[5];
            for (int i = 0; i < 5; i++) {
                Double t = trueValue(l, i);
                d[i] = pub[i] == null || t == null ? null : t;
            }
            GradeUncertainty.Evidence e = l.e();
            double[] c = new double[5]; // the drawn counts: first-pass units, capable characteristic-months, defects, failures
            if (d[GradeUncertainty.FPY] != null && var.noisy()[GradeUncertainty.FPY]) {
                int n = (int) e.wUnits();
                c[GradeUncertainty.FPY] = new BinomialDistribution(rng, n, Math.min(1, Math.max(0, d[GradeUncertainty.FPY]))).sample();
                d[GradeUncertainty.FPY] = c[GradeUncertainty.FPY] / n;
            }
            if (d[GradeUncertainty.CPK] != null && var.cpkNoisy()) {
                int k = e.cpk().length;
                c[GradeUncertainty.CPK] = new BinomialDistribution(rng, k, Math.min(1, Math.max(0, d[GradeUncertainty.CPK]))).sample();
                d[GradeUncertainty.CPK] = c[GradeUncertainty.CPK] / k;
            }
            if (d[GradeUncertainty.DPMO] != null && var.noisy()[GradeUncertainty.DPMO] && d[GradeUncertainty.DPMO] > 0) {
                double mean = d[GradeUncertainty.DPMO] * e.wOpportunities() / 1e6;
                c[GradeUncertainty.DPMO] = poisson(rng, mean);
                d[GradeUncertainty.DPMO] = c[GradeUncertainty.DPMO] / e.wOpportunities() * 1e6;
            }
            if (d[GradeUncertainty.QLR] != null && var.noisy()[GradeUncertainty.QLR] && e.wLossEvents() > 0) {
                d[GradeUncertainty.QLR] = d[GradeUncertainty.QLR] * new GammaDistribution(rng, e.wLossEvents(), 1 / e.wLossEvents()).sample();
            }
            Double ratio = trueValue(l, GradeUncertainty.AFR);
            if (ratio != null && e.wUnitDays() > 0) {
                double mu = ratio * e.wUnitDays() * scale;
                double k = var.noisy()[GradeUncertainty.AFR] ? poisson(rng, mu) : mu;
                c[GradeUncertainty.AFR] = k;
                afr[j] = k / e.wUnitDays();
                all.add(afr[j]);
                if (d[GradeUncertainty.AFR] != null && !var.drawnMedian()) {
                    d[GradeUncertainty.AFR] = mu > 0 ? ratio * k / mu : ratio;
                }
            } else {
                afr[j] = Double.NaN;
            }
            out.put(l, d);
            counts.put(l, c);
            scales.put(l, scale);
        }
        if (var.drawnMedian()) {
            // the lower middle drawn AFR of the group, the element Spark's percentile_approx(0.5) picks
            all.sort(Double::compare);
            double median = all.isEmpty() ? 0 : all.get((all.size() + 1) / 2 - 1);
            for (int j = 0; j < g.size(); j++) {
                Double[] d = out.get(g.get(j));
                if (d[GradeUncertainty.AFR] != null) {
                    d[GradeUncertainty.AFR] = median > 0 && !Double.isNaN(afr[j]) ? afr[j] / median : null;
                }
            }
        }
    }

    /**
     * The posterior mean of the line's true score given its drawn counts, under a prior that knows
     * the month's true indicator vectors (those of the judged lines, equally likely) but not which
     * line has which: the best any estimator can do knowing the spread of lines exactly.
     */
    static double posteriorScore(Rubric rubric, LineMonth l, Double[] d, double[] c, double scale, List<LineMonth> candidates) {
        GradeUncertainty.Evidence e = l.e();
        List<double[]> ws = new ArrayList<>();
        double max = Double.NEGATIVE_INFINITY;
        for (LineMonth cand : candidates) {
            Double[] t = new Double[5];
            boolean ok = true;
            for (int i = 0; i < 5; i++) {
                t[i] = d[i] == null ? null : trueValue(cand, i);
                ok &= d[i] == null || t[i] != null;
            }
            if (!ok) {
                continue;
            }
            double ll = 0;
            if (d[GradeUncertainty.FPY] != null) {
                double p = clip(t[GradeUncertainty.FPY]);
                ll += c[GradeUncertainty.FPY] * Math.log(p) + (e.wUnits() - c[GradeUncertainty.FPY]) * Math.log(1 - p);
            }
            if (d[GradeUncertainty.CPK] != null) {
                double p = clip(t[GradeUncertainty.CPK]);
                ll += c[GradeUncertainty.CPK] * Math.log(p) + (e.cpk().length - c[GradeUncertainty.CPK]) * Math.log(1 - p);
            }
            if (d[GradeUncertainty.DPMO] != null) {
                double lambda = Math.max(1e-12, t[GradeUncertainty.DPMO] * e.wOpportunities() / 1e6);
                ll += c[GradeUncertainty.DPMO] * Math.log(lambda) - lambda;
            }
            if (d[GradeUncertainty.AFR] != null) {
                double mu = Math.max(1e-12, t[GradeUncertainty.AFR] * e.wUnitDays() * scale);
                ll += c[GradeUncertainty.AFR] * Math.log(mu) - mu;
            }
            if (d[GradeUncertainty.QLR] != null && e.wLossEvents() > 0) {
                double q = Math.max(1e-12, t[GradeUncertainty.QLR]);
                ll += -e.wLossEvents() * Math.log(q) - e.wLossEvents() * d[GradeUncertainty.QLR] / q;
            }
            double score = rubric.grade(asMap(t), e.units(), false).score();
            ws.add(new double[] {ll, score});
            max = Math.max(max, ll);
        }
        double num = 0;
        double den = 0;
        for (double[] w : ws) {
            double p = Math.exp(w[0] - max);
            num += p * w[1];
            den += p;
        }
        return num / den;
    }

    static double clip(double p) {
        return Math.min(1 - 1e-9, Math.max(1e-9, p));
    }

    static double poisson(RandomGenerator rng, double mean) {
        return mean <= 0 ? 0 : new PoissonDistribution(rng, mean, PoissonDistribution.DEFAULT_EPSILON,
                PoissonDistribution.DEFAULT_MAX_ITERATIONS).sample();
    }

    static Map<String, Double> asMap(Double[] v) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(Rubric.KNOWN.get(i), v[i]);
        }
        return m;
    }

    static double rho(double[] a, double[] b) {
        return a.length < 3 ? Double.NaN : new SpearmansCorrelation().correlation(a, b);
    }
}
