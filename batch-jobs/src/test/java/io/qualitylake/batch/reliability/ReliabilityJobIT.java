package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The reliability job: hand-computed exposure metrics, planted Weibull truth, idempotent reruns, restatements. */
class ReliabilityJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    /** The shared planted year: each model × plant has a few hundred failures, the bad-lot plant over a thousand. */
    static Path lake;

    /** The rows of the main run (a restatement test puts them back when it is done). */
    static Dataset<Row> gold(String table) {
        LocalDate asOf = LocalDate.parse(sim.truth().asMap().get("as_of").toString());
        return BatchTestSupport.table(SPARK, lake, "gold." + table).filter(col("as_of").equalTo(java.sql.Date.valueOf(asOf)));
    }

    static BatchTestSupport.Simulated sim;

    @BeforeAll
    static void pipeline() throws Exception {
        io.qualitylake.batch.testkit.PlantedWorld world = io.qualitylake.batch.testkit.PlantedWorld.get();
        lake = world.lake;
        sim = world.sim;
        BatchTestSupport.run(SPARK, new ReliabilityJob(), lake, world.asOf, null);
    }

    /**
     * Planted truth: for every model × plant with at least 200 failures, the fitted β and η are
     * within 3.5 of the fit's own standard errors of the planted values (η on the log scale), a
     * two-sided test that a correct estimator fails with probability ~5e-4 per parameter.
     */
    @Test
    void weibullFitsRecoverThePlantedParameters() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> planted = (List<Map<String, Object>>) sim.truth().asMap().get("weibull");
        Dataset<Row> fits = gold("reliability_weibull").filter(col("scope").equalTo("PLANT"));
        int checked = 0;
        for (Map<String, Object> p : planted) {
            Row f = fits.filter(col("product_model").equalTo(p.get("product_model")).and(col("scope_value").equalTo(p.get("plant_id")))).head();
            if (f.<Integer>getAs("n_failures") < 200) {
                continue;
            }
            double beta = ((Number) p.get("beta")).doubleValue();
            double eta = ((Number) p.get("eta_days")).doubleValue();
            double b = f.getAs("beta");
            double seB = Math.log(f.<Double>getAs("beta_hi") / b) / 1.959964 * b;
            double e = f.getAs("eta_days");
            double seLogE = Math.log(f.<Double>getAs("eta_hi") / e) / 1.959964;
            assertEquals(beta, b, 3.5 * seB, p.toString());
            assertEquals(Math.log(eta), Math.log(e), 3.5 * seLogE, p.toString());
            checked++;
        }
        assertTrue(checked >= 4, "enough groups with >= 200 failures: " + checked);
    }

    /**
     * Planted truth (SPEC §6 `repairable`): the Crow-AMSAA β̂ of each plant's recurrences of the
     * repairable model. Given N recurrences, 2Nβ/β̂ ~ χ²(2N) exactly for time-terminated power-law data
     * (CrowAmsaa's javadoc), so the planted β lies in β̂·[χ²_{0.0005}(2N), χ²_{0.9995}(2N)]/(2N) except
     * with probability 0.001 per plant; at N ≈ 400 that is about ±17 % of β. The chi-square quantiles
     * come from commons-math here, not from the code under test.
     */
    @Test
    void crowAmsaaRecoversThePlantedRecurrenceShapes() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> planted = (List<Map<String, Object>>) sim.truth().asMap().get("repairable");
        assertTrue(planted.size() >= 2, "repairable plants: " + planted.size());
        Dataset<Row> growth = gold("reliability_growth");
        for (Map<String, Object> p : planted) {
            Row g = growth.filter(col("product_model").equalTo(p.get("product_model")).and(col("plant_id").equalTo(p.get("plant_id")))).head();
            int n = g.getAs("n_failures");
            assertTrue(n >= 100, "enough recurrences to test: " + p + " n=" + n);
            double beta = ((Number) p.get("beta")).doubleValue();
            double b = g.getAs("beta");
            org.apache.commons.math3.distribution.ChiSquaredDistribution chi = new org.apache.commons.math3.distribution.ChiSquaredDistribution(2.0 * n);
            double lo = b * chi.inverseCumulativeProbability(0.0005) / (2.0 * n);
            double hi = b * chi.inverseCumulativeProbability(0.9995) / (2.0 * n);
            assertTrue(beta >= lo && beta <= hi, "planted β " + beta + " outside [" + lo + ", " + hi + "] at " + p);
            System.out.printf("repairable %s/%s planted beta %.3f: n=%d beta_hat %.4f [%.4f, %.4f] laplace %.2f trend %s%n",
                    p.get("product_model"), p.get("plant_id"), beta, n, b, g.<Double>getAs("beta_lo"), g.<Double>getAs("beta_hi"),
                    g.<Double>getAs("laplace_stat"), g.<String>getAs("trend"));
            boolean worsening = Boolean.TRUE.equals(p.get("worsening"));
            // the planted worsening plant is found worsening, with recurrences crowding late (Laplace U > 0)
            if (worsening) {
                assertEquals("WORSENING", g.getAs("trend"), p.toString());
                assertTrue(g.<Double>getAs("laplace_stat") > 1.96, "Laplace " + g.getAs("laplace_stat"));
            } else {
                // β = 1: each 95 % interval covers 1 with probability 0.95; this seed's plants do
                assertEquals("STABLE", g.getAs("trend"), p.toString());
            }
            // cumulative MTBF by its definition: fleet age over recurrences
            assertTrue(g.<Double>getAs("cum_mtbf_days") > 0);
        }
        assertEquals(1, growth.filter(col("plant_id").equalTo("ALL").and(col("product_model").equalTo(planted.get(0).get("product_model")))).count());
    }

    /**
     * The MCF of the worsening plant against the planted mean function Λ(t) = λt^β (the MCF is
     * unbiased for it under an NHPP): at the last age where at least 1000 units are still observed,
     * the estimate lies within 3.5 of its Nelson standard errors of Λ(t) (a correct estimator fails
     * with probability ~5e-4).
     */
    @Test
    void mcfFollowsThePlantedMeanFunction() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> planted = (List<Map<String, Object>>) sim.truth().asMap().get("repairable");
        Map<String, Object> w = planted.stream().filter(p -> Boolean.TRUE.equals(p.get("worsening"))).findFirst().orElseThrow();
        Row last = gold("reliability_mcf").filter(col("product_model").equalTo(w.get("product_model"))
                        .and(col("plant_id").equalTo(w.get("plant_id"))).and(col("at_risk").geq(1000)))
                .orderBy(col("t_days").desc()).head();
        double t = last.getAs("t_days");
        double truthMcf = ((Number) w.get("lambda")).doubleValue() * Math.pow(t, ((Number) w.get("beta")).doubleValue());
        double m = last.getAs("mcf");
        assertEquals(truthMcf, m, 3.5 * Math.sqrt(last.<Double>getAs("mcf_var")), "t=" + t);
        assertTrue(last.<Double>getAs("ci_lo") < m && m < last.<Double>getAs("ci_hi"));
        // the table is a step function: non-decreasing in age, at-risk non-increasing
        List<Row> rows = gold("reliability_mcf").filter(col("product_model").equalTo(w.get("product_model"))
                .and(col("plant_id").equalTo("ALL"))).orderBy("t_days").collectAsList();
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).<Double>getAs("mcf") > rows.get(i - 1).<Double>getAs("mcf"));
            assertTrue(rows.get(i).<Integer>getAs("at_risk") <= rows.get(i - 1).<Integer>getAs("at_risk"));
        }
    }

    @Test
    void theEarlyLifePlantIsClassifiedInfantMortality() {
        @SuppressWarnings("unchecked")
        Map<String, Object> bad = (Map<String, Object>) sim.truth().asMap().get("bad_lot");
        Row s = gold("reliability_summary")
                .filter(col("product_model").equalTo(bad.get("product_model")).and(col("plant_id").equalTo(bad.get("plant_id")))).head();
        assertEquals("INFANT_MORTALITY", s.getAs("failure_pattern"));
        long others = gold("reliability_summary")
                .filter(col("plant_id").notEqual("ALL").and(col("failure_pattern").equalTo("INFANT_MORTALITY"))).count();
        assertEquals(1, others, "only the planted plant");
    }

    @Test
    void rerunForTheSameAsOfChangesNothingAndAnOlderAsOfRestatesTheWholeTable() throws Exception {
        LocalDate asOf = LocalDate.parse(sim.truth().asMap().get("as_of").toString());
        String path = io.qualitylake.batch.lake.Lake.at(lake.toString()).gold("reliability_summary");
        long version = io.qualitylake.batch.job.Tables.version(SPARK, path);
        List<Row> before = BatchTestSupport.table(SPARK, lake, "gold.reliability_summary").orderBy("product_model", "plant_id").collectAsList();
        JobContext rerun = BatchTestSupport.run(SPARK, new ReliabilityJob(), lake, asOf, null);
        assertTrue(rerun.scope().isEmpty(), rerun.scope().describe());
        assertEquals(version, io.qualitylake.batch.job.Tables.version(SPARK, path), "same as_of: no new table version");
        assertEquals(before, BatchTestSupport.table(SPARK, lake, "gold.reliability_summary").orderBy("product_model", "plant_id").collectAsList());
        try {
            JobContext restated = BatchTestSupport.run(SPARK, new ReliabilityJob(), lake, asOf.minusMonths(6), null);
            assertTrue(restated.scope().isAll() && restated.scope().reason().startsWith("restatement"), restated.scope().describe());
            Dataset<Row> gold = BatchTestSupport.table(SPARK, lake, "gold.reliability_summary");
            assertEquals(1, gold.select("as_of").distinct().count(), "no row mixes two cut-offs");
            long older = gold.agg(org.apache.spark.sql.functions.sum("failures")).head().getLong(0);
            long newer = before.stream().mapToLong(r -> r.<Long>getAs("failures")).sum();
            assertTrue(older < newer, "a restatement sees only what had happened by its as_of");
        } finally {
            BatchTestSupport.run(SPARK, new ReliabilityJob(), lake, asOf, null); // the other tests read the current as_of
        }
    }

    @Test
    void warrantyTableCountsExposureAndClaimsPerMonthInService() {
        Dataset<Row> mis = gold("warranty_mis");
        assertTrue(mis.count() > 0);
        // exposure can only shrink with months in service, cumulative claims can only grow
        assertEquals(0, mis.filter("units_exposed <= 0 OR claims < 0 OR claims_per_1000 > 1000").count());
        List<Row> jan = mis.filter(col("build_month").equalTo("2025-01").and(col("product_model").equalTo("M100")))
                .orderBy("months_in_service").collectAsList();
        for (int i = 1; i < jan.size(); i++) {
            assertTrue(jan.get(i).<Long>getAs("units_exposed") <= jan.get(i - 1).<Long>getAs("units_exposed"));
            assertTrue(jan.get(i).<Double>getAs("cum_claims_per_1000") >= jan.get(i - 1).<Double>getAs("cum_claims_per_1000"));
        }
    }

    /**
     * The job publishes gold.warranty_forecast (its numbers are checked in WarrantyForecastTest and
     * WarrantyBacktestIT): six calendar months after the month of as_of for every model × build
     * month with units at risk, intervals ordered, no claims where nothing is at risk.
     */
    @Test
    void jobPublishesTheWarrantyForecast() {
        Dataset<Row> f = gold("warranty_forecast");
        java.time.YearMonth m = java.time.YearMonth.from(LocalDate.parse(sim.truth().asMap().get("as_of").toString()));
        assertEquals(List.of(m.plusMonths(1).toString(), m.plusMonths(6).toString()),
                List.of(f.agg(org.apache.spark.sql.functions.min("forecast_month")).head().getString(0),
                        f.agg(org.apache.spark.sql.functions.max("forecast_month")).head().getString(0)));
        long groups = f.select("product_model", "build_month").distinct().count();
        assertTrue(groups >= 30, "model × build month groups: " + groups);
        assertEquals(6 * groups, f.count());
        assertEquals(0, f.filter("expected_claims IS NULL OR pi_lo > pi_hi OR expected_claims < 0 OR reason IS NOT NULL").count());
        assertEquals(0, f.filter("units_at_risk = 0 AND (expected_claims > 0 OR pi_hi > 0)").count());
    }

    /**
     * Hand-computed exposure metrics. as_of 2026-01-10 → end = 2026-01-11T00:00Z.
     * Unit A: installed 01-01, fails 01-05 and again 01-08 → t = 4 d, 2 failures.
     * Unit B: installed 01-03, no failure → t = 8 d. Unit C: installed 01-11 (after as_of) → excluded.
     * unit_days = 12; failures = 2; AFR = 2 / (12/365) × 100 = 6083.33 %; MTBF = 12 × 16 h / 2 = 96 h
     * (M100 runs 16 h a day in silver.dim_products).
     */
    @Test
    void afrAndMtbfByHand() {
        StructType inst = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
                .add("product_model", DataTypes.StringType).add("event_time", DataTypes.TimestampType);
        StructType fail = new StructType().add("serial_no", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
                .add("warranty", DataTypes.BooleanType);
        StructType built = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
                .add("event_time", DataTypes.TimestampType);
        StructType prod = new StructType().add("product_model", DataTypes.StringType).add("duty_hours_per_day", DataTypes.DoubleType)
                .add("warranty_months", DataTypes.IntegerType);
        Dataset<Row> installs = SPARK.createDataFrame(List.of(RowFactory.create("A", "P1", "M100", ts("2026-01-01")),
                RowFactory.create("B", "P1", "M100", ts("2026-01-03")), RowFactory.create("C", "P1", "M100", ts("2026-01-11"))), inst);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("A", ts("2026-01-05"), true),
                RowFactory.create("A", ts("2026-01-08"), true)), fail);
        Dataset<Row> units = SPARK.createDataFrame(List.of(RowFactory.create("A", "P1", ts("2025-12-20"))), built);
        Dataset<Row> products = SPARK.createDataFrame(List.<Row>of(RowFactory.create("M100", 16.0, 24)), prod);
        Dataset<Row> lives = ReliabilityTransforms.withProductDefaults(
                ReliabilityTransforms.unitLives(installs, failures, units, ts("2026-01-11")), products);
        Row s = ReliabilityTransforms.summary(lives, org.apache.spark.sql.functions.lit("ALL")).head();
        assertEquals(2L, s.<Long>getAs("units_in_service"));
        assertEquals(12.0, s.<Double>getAs("unit_days"), 1e-9);
        assertEquals(2L, s.<Long>getAs("failures"));
        assertEquals(2 / (12.0 / 365) * 100, s.<Double>getAs("afr_pct"), 1e-9);
        assertEquals(96.0, s.<Double>getAs("mtbf_hours"), 1e-9);
        // a model without a dimension row uses the documented 24 h/day default
        Dataset<Row> noDim = ReliabilityTransforms.withProductDefaults(
                ReliabilityTransforms.unitLives(installs, failures, units, ts("2026-01-11")), products.limit(0));
        assertEquals(144.0, ReliabilityTransforms.summary(noDim, org.apache.spark.sql.functions.lit("ALL")).head().<Double>getAs("mtbf_hours"), 1e-9);
        // two failures but one unit with a first failure: too few distinct failure times for a fit
        Row w = ReliabilityTransforms.weibull(lives).filter(col("scope").equalTo("ALL")).head();
        assertNull(w.getAs("beta"));
        assertTrue(w.<String>getAs("reason").contains("fewer than 2"));
    }

    /**
     * Repairable systems by hand (same three units as above, end = 2026-01-11T00:00Z): A is observed
     * 10 days with recurrences at ages 4 and 7, B 8 days with none. MCF: at 4, r = 2 → 0.5; at 7, B
     * (end 8) is still at risk, r = 2 → 1.0; Nelson's variance adds (r − 1)/r³ = 1/8 per recurrence.
     * Crow-AMSAA: 2 recurrences are too few → nulls and a reason, for plant P1 and for ALL.
     */
    @Test
    void repairableSystemsByHand() {
        StructType lifeSchema = new StructType().add("serial_no", DataTypes.StringType).add("installed_at", DataTypes.TimestampType)
                .add("product_model", DataTypes.StringType).add("plant_id", DataTypes.StringType);
        StructType fail = new StructType().add("serial_no", DataTypes.StringType).add("event_time", DataTypes.TimestampType);
        Dataset<Row> lives = SPARK.createDataFrame(List.of(RowFactory.create("A", ts("2026-01-01"), "M100", "P1"),
                RowFactory.create("B", ts("2026-01-03"), "M100", "P1")), lifeSchema);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("A", ts("2026-01-05")),
                RowFactory.create("A", ts("2026-01-08")), RowFactory.create("A", ts("2026-01-12")),
                RowFactory.create("B", ts("2026-01-02"))), fail); // after as_of; before install: not recurrences
        Dataset<Row> systems = RepairableTransforms.systems(lives, failures, ts("2026-01-11"));
        List<Row> mcf = RepairableTransforms.mcf(systems).filter(col("plant_id").equalTo("P1")).orderBy("t_days").collectAsList();
        assertEquals(2, mcf.size());
        assertEquals(4.0, mcf.get(0).<Double>getAs("t_days"), 1e-9);
        assertEquals(2, mcf.get(0).<Integer>getAs("at_risk"));
        assertEquals(0.5, mcf.get(0).<Double>getAs("mcf"), 1e-12);
        assertEquals(0.125, mcf.get(0).<Double>getAs("mcf_var"), 1e-12);
        assertEquals(7.0, mcf.get(1).<Double>getAs("t_days"), 1e-9);
        assertEquals(2, mcf.get(1).<Integer>getAs("at_risk"));
        assertEquals(1.0, mcf.get(1).<Double>getAs("mcf"), 1e-12);
        assertEquals(0.25, mcf.get(1).<Double>getAs("mcf_var"), 1e-12);
        List<Row> growth = RepairableTransforms.growth(systems).orderBy("plant_id").collectAsList();
        assertEquals(List.of("ALL", "P1"), growth.stream().map(r -> r.<String>getAs("plant_id")).toList());
        for (Row g : growth) {
            assertEquals(2, g.<Integer>getAs("n_systems"));
            assertEquals(2, g.<Integer>getAs("n_failures"));
            assertNull(g.getAs("beta"));
            assertTrue(g.<String>getAs("reason").contains("fewer than 3"));
        }
    }

    private static Timestamp ts(String date) {
        return Timestamp.from(LocalDate.parse(date).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
}
