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
class ReliabilityJobTest {
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
        long version = io.qualitylake.batch.lake.Tables.version(SPARK, path);
        List<Row> before = BatchTestSupport.table(SPARK, lake, "gold.reliability_summary").orderBy("product_model", "plant_id").collectAsList();
        JobContext rerun = BatchTestSupport.run(SPARK, new ReliabilityJob(), lake, asOf, null);
        assertTrue(rerun.scope().isEmpty(), rerun.scope().describe());
        assertEquals(version, io.qualitylake.batch.lake.Tables.version(SPARK, path), "same as_of: no new table version");
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
        StructType built = new StructType().add("serial_no", DataTypes.StringType).add("event_time", DataTypes.TimestampType);
        StructType prod = new StructType().add("product_model", DataTypes.StringType).add("duty_hours_per_day", DataTypes.DoubleType)
                .add("warranty_months", DataTypes.IntegerType);
        Dataset<Row> installs = SPARK.createDataFrame(List.of(RowFactory.create("A", "P1", "M100", ts("2026-01-01")),
                RowFactory.create("B", "P1", "M100", ts("2026-01-03")), RowFactory.create("C", "P1", "M100", ts("2026-01-11"))), inst);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("A", ts("2026-01-05"), true),
                RowFactory.create("A", ts("2026-01-08"), true)), fail);
        Dataset<Row> units = SPARK.createDataFrame(List.of(RowFactory.create("A", ts("2025-12-20"))), built);
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

    private static Timestamp ts(String date) {
        return Timestamp.from(LocalDate.parse(date).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
}
