package io.qualitylake.ingestion.simulate;

import io.qualitylake.grading.Rubric;
import io.qualitylake.ingestion.simulate.World.Characteristic;
import io.qualitylake.ingestion.simulate.World.Line;
import io.qualitylake.ingestion.simulate.World.Product;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * The planted truth of the line grades (truth.json {@code line_months}): for each line and month,
 * the expected value of every rubric indicator under the planted parameters — not the sampled
 * outcome — and the score and grade the rubric gives those expected indicators.
 *
 * <p>The expectations come from the world's parameters alone (the generator's probabilities, costs,
 * life distributions and install lag), never from the grading code; only the rubric's scoring
 * function is shared, so the true score is the same function of the indicators as the published one.
 * Each indicator is the expectation over the same trailing window the rubric pools for it (a ratio
 * of expected sums over the window's months, as the published indicator is a ratio of sums), and the
 * field indicators are what the data can show by the end of the run (failures and claims up to the
 * last simulated day), because that is what a published score estimates.
 */
final class ExpectedGrades {
    private ExpectedGrades() {}

    /** SPEC §5: a critical characteristic is capable at Cpk ≥ 1.33. */
    static final double CAPABLE_CPK = 1.33;
    /**
     * Control-chart constants of the range of a normal subgroup of 5: E[R] = d₂σ, SD[R] = d₃σ
     * (Montgomery, Introduction to Statistical Quality Control, Appendix Table VI: d₂ = 2.326, d₃ = 0.864).
     */
    static final double D2_OF_5 = 2.326;
    static final double D3_OF_5 = 0.864;
    /** Install times are integrated over bins of a quarter day. */
    static final int BINS_PER_DAY = 4;
    /** Install lags beyond this many days have probability below 1e-15 (Gamma(2, 4) + 2). */
    static final int MAX_LAG_DAYS = 200;

    private static final NormalDistribution PHI = new NormalDistribution(null, 0, 1);

    /** Expected counts of one line in one calendar month (field counts by the month they happen, losses by build month). */
    private static final class Month {
        double units;
        double firstPass;
        double defects;
        double opportunities;
        double loss;
        double output;
        double unitDays;
        double failures;
        double cpkCapable;
        int cpkMeasured;
    }

    static List<Map<String, Object>> lineMonths(World w, SimulationConfig c, Rubric rubric) {
        List<YearMonth> months = months(c);
        InstallTimes installs = new InstallTimes(c, months);
        Map<Line, Month[]> counts = new LinkedHashMap<>();
        for (Line l : w.lines) {
            counts.put(l, counts(w, c, l, months, installs));
        }
        Rubric.Stability s = rubric.stability();
        List<Map<String, Object>> out = new ArrayList<>();
        for (int m = 0; m < months.size(); m++) {
            Map<Line, Double> afr = new LinkedHashMap<>();
            for (Line l : w.lines) {
                Month win = window(counts.get(l), m, s.window("afr_ratio"));
                afr.put(l, win.unitDays > 0 ? win.failures / (win.unitDays / 365.0) * 100 : null);
            }
            for (Line l : w.lines) {
                Month[] lm = counts.get(l);
                Map<String, Double> v = new LinkedHashMap<>();
                Month f = window(lm, m, s.window("fpy"));
                v.put("fpy", f.units > 0 ? f.firstPass / f.units : null);
                Month k = window(lm, m, s.window("critical_cpk_share"));
                v.put("critical_cpk_share", k.cpkMeasured > 0 ? k.cpkCapable / k.cpkMeasured : null);
                Month d = window(lm, m, s.window("dpmo"));
                v.put("dpmo", d.opportunities > 0 ? d.defects / d.opportunities * 1e6 : null);
                Double median = peerMedian(w, l, afr);
                v.put("afr_ratio", afr.get(l) == null || median == null || median <= 0 ? null : afr.get(l) / median);
                Month q = window(lm, m, s.window("quality_loss_rate"));
                v.put("quality_loss_rate", q.output > 0 ? q.loss / q.output * 100 : null);
                long units = Math.round(lm[m].units);
                boolean gateHit = gateHit(w, c, rubric, l, months.get(m));
                Rubric.Graded g = rubric.grade(v, units, gateHit);
                Map<String, Object> row = Truth.map("line_id", l.lineId(), "period", months.get(m).toString(), "units", units);
                v.forEach((key, value) -> row.put(key, value == null ? null : round(value)));
                row.put("score", g.score() == null ? null : round(g.score()));
                row.put("grade", g.grade());
                out.add(row);
            }
        }
        return out;
    }

    /** Calendar months the run touches, first to last. */
    static List<YearMonth> months(SimulationConfig c) {
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth m = YearMonth.from(c.start()); !m.isAfter(YearMonth.from(c.end().minusDays(1))); m = m.plusMonths(1)) {
            out.add(m);
        }
        return out;
    }

    /** Run days (from the first simulated day) where month m starts and ends, clipped to the run. */
    static double[] span(SimulationConfig c, YearMonth m) {
        LocalDate from = m.atDay(1).isBefore(c.start()) ? c.start() : m.atDay(1);
        LocalDate to = m.plusMonths(1).atDay(1).isAfter(c.end()) ? c.end() : m.plusMonths(1).atDay(1);
        return new double[] {ChronoUnit.DAYS.between(c.start(), from), ChronoUnit.DAYS.between(c.start(), to)};
    }

    private static Month[] counts(World w, SimulationConfig c, Line l, List<YearMonth> months, InstallTimes installs) {
        Product p = l.product();
        World.Profile profile = l.plant().enterprise().profile();
        double failedCoded = (1 - l.fpy()) * profile.codedDefectShare() * (1 + Units.SECOND_DEFECT_SHARE);
        double defectsPerUnit = failedCoded + l.fpy() * Units.USE_AS_IS_SHARE;
        double internalPerUnit = failedCoded * (Units.SCRAP_SHARE_OF_FAILED * Units.SCRAP_COST_SHARE * p.unitValue()
                + (1 - Units.SCRAP_SHARE_OF_FAILED) * (Units.REWORK_COST_MIN + Units.REWORK_COST_SPAN / 2));
        double installed = (1 - Units.SCRAP_SHARE_OF_FAILED * (1 - l.fpy())) * Units.INSTALL_SHARE;
        double claim = Units.CLAIM_MIN + Units.CLAIM_SPAN / 2;
        DoubleUnaryOperator failuresByAge = failuresByAge(w, l);
        double[] byEnd = new double[installs.bins()];
        for (int b = 0; b < byEnd.length; b++) {
            byEnd[b] = failuresByAge.applyAsDouble(c.days() - installs.time(b));
        }
        Month[] out = new Month[months.size()];
        for (int m = 0; m < months.size(); m++) {
            double[] se = span(c, months.get(m));
            Month x = new Month();
            x.units = c.unitsPerDay() * (se[1] - se[0]);
            x.firstPass = x.units * l.fpy();
            x.defects = x.units * defectsPerUnit;
            x.opportunities = x.units * p.opportunities();
            x.output = x.units * p.unitValue();
            // claims of the units built this month that fail (again, for a repairable model) before the run ends
            double builtFailures = 0;
            double[] built = installs.builtIn(m);
            for (int b = installs.first(m); b < installs.bins(); b++) {
                builtFailures += built[b] * byEnd[b];
            }
            x.loss = x.units * internalPerUnit + installed * builtFailures * claim;
            // field exposure and failures in this month of every unit installed so far (AFR, SPEC §4)
            double[] all = installs.all();
            for (int b = 0; b < all.length && installs.time(b) < se[1]; b++) {
                double t = installs.time(b);
                x.unitDays += installed * all[b] * (se[1] - Math.max(se[0], t));
                x.failures += installed * all[b] * (failuresByAge.applyAsDouble(se[1] - t)
                        - failuresByAge.applyAsDouble(Math.max(0, se[0] - t)));
            }
            capability(w, c, l, se, x);
            out[m] = x;
        }
        return out;
    }

    /**
     * Expected failures of one installed unit by age t (days): the Weibull CDF of a first failure, or
     * for a repairable model the power-law cumulative intensity (t/η)^β, every failure counting.
     */
    static DoubleUnaryOperator failuresByAge(World w, Line l) {
        if (w.isBadLotGroup(l.plant(), l.product())) {
            double beta = w.badLot.beta();
            double eta = w.badLot.eta();
            return t -> t <= 0 ? 0 : -Math.expm1(-Math.pow(t / eta, beta));
        }
        World.Repairable rep = w.repairable(l.product(), l.plant());
        if (rep != null) {
            double beta = rep.beta();
            double eta = rep.eta();
            return t -> t <= 0 ? 0 : Math.pow(t / eta, beta);
        }
        double beta = w.lifeBeta(l.product(), l.plant());
        double eta = w.lifeEta(l.product(), l.plant());
        return t -> t <= 0 ? 0 : -Math.expm1(-Math.pow(t / eta, beta));
    }

    /**
     * Expected capable share of the line's critical characteristics in the month: Σ P(Ĉpk ≥ 1.33),
     * with the month's Ĉpk = min(USL − x̄, x̄ − LSL) / 3σ̂, σ̂ = R̄/d₂ over its m subgroups of 5,
     * approximately normal around the month's true Cpk (the drifted characteristic's mean averaged
     * over the month's days) with variance 1/(9·5m) + Cpk²·(d₃/d₂)²/m — the first term from x̄,
     * the second from R̄/d₂, whose relative variance is (d₃/d₂)²/m.
     */
    private static void capability(World w, SimulationConfig c, Line l, double[] se, Month x) {
        int m = (int) Math.round(c.subgroupsPerDay() * (se[1] - se[0]));
        if (m == 0) {
            return;
        }
        for (Characteristic ch : l.characteristics()) {
            if (!ch.critical()) {
                continue;
            }
            double cpk;
            if (ch.lognormal()) {
                cpk = ch.cpk(); // the job's Cpk is normal-theory: from the mean and the within-subgroup spread
            } else {
                double mean = ch.mean();
                World.Drift d = w.drift;
                if (d.characteristic() == ch) {
                    double drifted = Math.max(0, se[1] - Math.max(se[0], d.startDay()));
                    mean += d.shiftSigma() * ch.sigma() * drifted / (se[1] - se[0]);
                }
                cpk = Math.min(ch.usl() - mean, mean - ch.lsl()) / (3 * ch.sigma());
            }
            double ratio = D3_OF_5 / D2_OF_5;
            double sd = Math.sqrt(1.0 / (9.0 * SimulationConfig.SUBGROUP_SIZE * m) + cpk * cpk * ratio * ratio / m);
            x.cpkCapable += 1 - PHI.cumulativeProbability((CAPABLE_CPK - cpk) / sd);
            x.cpkMeasured++;
        }
    }

    /** The sums of months m − window + 1 … m (those inside the run). */
    private static Month window(Month[] lm, int m, int window) {
        Month s = new Month();
        for (int i = Math.max(0, m - window + 1); i <= m; i++) {
            Month x = lm[i];
            s.units += x.units;
            s.firstPass += x.firstPass;
            s.defects += x.defects;
            s.opportunities += x.opportunities;
            s.loss += x.loss;
            s.output += x.output;
            s.unitDays += x.unitDays;
            s.failures += x.failures;
            s.cpkCapable += x.cpkCapable;
            s.cpkMeasured += x.cpkMeasured;
        }
        return s;
    }

    /**
     * The median AFR of the line's peer group (its product family) in the month: with an even number
     * of lines the lower middle one, the element a percentile of 0.5 picks (Spark's percentile_approx).
     */
    private static Double peerMedian(World w, Line line, Map<Line, Double> afr) {
        List<Double> peers = new ArrayList<>();
        for (Line l : w.lines) {
            if (l.product().family().equals(line.product().family()) && afr.get(l) != null) {
                peers.add(afr.get(l));
            }
        }
        if (peers.isEmpty()) {
            return null;
        }
        peers.sort(Double::compare);
        return peers.get((peers.size() + 1) / 2 - 1);
    }

    /** The planted regulator failure falls in the rubric gate's window ending with this month. */
    private static boolean gateHit(World w, SimulationConfig c, Rubric rubric, Line l, YearMonth m) {
        if (rubric.gate() == null || c.days() <= 14 || l.plant() != w.regulatorFailurePlant) {
            return false;
        }
        YearMonth failed = YearMonth.from(c.start().plusDays(14));
        return !failed.isAfter(m) && failed.isAfter(m.minusMonths(rubric.gate().months()));
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    /**
     * The distribution of install times (run days) of the units built each day: a unit built at
     * d + U(0, 1) installs after INSTALL_LAG_MIN + Gamma(2, INSTALL_LAG_SCALE) days, so
     * P(install − d ≤ y) = H(y) − H(y − 1) with H the integral of the lag's CDF. Kept per bin of a
     * quarter day, per build month and in all, as the expected number of units built (installed or
     * not: the line's install share multiplies in later), installs after the run's end dropped.
     */
    static final class InstallTimes {
        private final double[] all;
        private final double[][] byMonth;
        private final int[] firstBin;

        InstallTimes(SimulationConfig c, List<YearMonth> months) {
            int bins = c.days() * BINS_PER_DAY;
            all = new double[bins];
            byMonth = new double[months.size()][];
            firstBin = new int[months.size()];
            for (int m = 0; m < months.size(); m++) {
                double[] se = span(c, months.get(m));
                byMonth[m] = new double[bins];
                firstBin[m] = (int) se[0] * BINS_PER_DAY;
                for (int d = (int) se[0]; d < (int) se[1]; d++) {
                    int last = Math.min(bins, (d + MAX_LAG_DAYS) * BINS_PER_DAY);
                    for (int b = d * BINS_PER_DAY; b < last; b++) {
                        double p = lagCdf((double) (b + 1) / BINS_PER_DAY - d) - lagCdf((double) b / BINS_PER_DAY - d);
                        byMonth[m][b] += c.unitsPerDay() * p;
                        all[b] += c.unitsPerDay() * p;
                    }
                }
            }
        }

        /** P(install − build day ≤ y) for a unit built at a uniform time of its day. */
        static double lagCdf(double y) {
            return integratedLagCdf(y) - integratedLagCdf(y - 1);
        }

        /** ∫₀ʸ P(lag ≤ t) dt for lag = L₀ + Gamma(2, θ): with z = y − L₀, z − 2θ + θe^(−z/θ)(2 + z/θ). */
        static double integratedLagCdf(double y) {
            double z = y - Units.INSTALL_LAG_MIN;
            if (z <= 0) {
                return 0;
            }
            double th = Units.INSTALL_LAG_SCALE;
            return z - 2 * th + th * Math.exp(-z / th) * (2 + z / th);
        }

        int bins() {
            return all.length;
        }

        /** The middle of bin b, in run days. */
        double time(int b) {
            return (b + 0.5) / BINS_PER_DAY;
        }

        double[] all() {
            return all;
        }

        double[] builtIn(int month) {
            return byMonth[month];
        }

        int first(int month) {
            return firstBin[month];
        }
    }
}
