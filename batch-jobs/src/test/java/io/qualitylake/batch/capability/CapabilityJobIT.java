package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.reference.ReferenceJob;
import io.qualitylake.batch.silver.SilverJob;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The capability job on a simulated world with planted characteristics (45 days, 4 plants, 32
 * characteristics, 24 subgroups of 5 per characteristic and day: 173k measurements; silver written
 * straight from bronze by the silver transforms, whose MERGE path has its own tests), and on hand-made
 * bad input (through the full silver job).
 */
class CapabilityJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final SimulationConfig WORLD = new SimulationConfig(11, 4, 45, LocalDate.of(2025, 1, 1), 5, 24, 0, 0, 0, 0);
    static Path lake;
    static Map<String, Object> truth;
    static LocalDate asOf;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void run() throws Exception {
        lake = Files.createTempDirectory("qlake-capability");
        BatchTestSupport.Simulated sim = BatchTestSupport.simulate(WORLD);
        truth = sim.truth().asMap();
        asOf = LocalDate.parse(truth.get("as_of").toString());
        BatchTestSupport.writeBronze(SPARK, lake, sim.records());
        Path ref = BatchTestSupport.writeReference(WORLD, Files.createTempDirectory("qlake-capability-ref"));
        BatchTestSupport.run(SPARK, new ReferenceJob(), lake, null, ref.toString());
        BatchTestSupport.writeSilverFromBronze(SPARK, lake, SilverTable.MEASUREMENTS);
        BatchTestSupport.run(SPARK, new CapabilityJob(), lake, asOf, null);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> characteristics() {
        return (List<Map<String, Object>>) truth.get("characteristics");
    }

    /** The planted skewed (lognormal) characteristic. */
    static String skewedCharacteristic() {
        return characteristics().stream().filter(c -> "LOGNORMAL".equals(c.get("distribution"))).findFirst().orElseThrow()
                .get("characteristic_id").toString();
    }

    /**
     * The planted lognormal runout (one-sided USL): January's 3,720 values reject normality, the best
     * fit is the lognormal or a Box-Cox transform, and cpk_pct recovers the planted percentile Cpk
     * (1.3458). Tolerance: 200 simulated Januaries of this characteristic put through the same
     * selection (SciPy, lognormal vs Box-Cox by A²) gave cpk_pct with mean 1.352 and standard
     * deviation 0.046; ±0.16 is 3.5 of those.
     */
    @Test
    void skewedCharacteristicRecoveredByPercentileCpk() {
        Map<String, Object> planted = characteristics().stream().filter(c -> "LOGNORMAL".equals(c.get("distribution"))).findFirst().orElseThrow();
        Row r = BatchTestSupport.table(SPARK, lake, "gold.process_capability")
                .filter(col("characteristic_id").equalTo(planted.get("characteristic_id")).and(col("period_type").equalTo("MONTH"))
                        .and(col("period").equalTo("2025-01"))).head();
        assertEquals(3720L, r.<Long>getAs("n"));
        assertTrue(r.<Double>getAs("normality_p") < 0.05, "normality rejected: " + r.<Double>getAs("normality_p"));
        assertTrue(List.of("LOGNORMAL", "BOX_COX").contains(r.<String>getAs("distribution")), r.<String>getAs("distribution"));
        assertEquals(((Number) planted.get("cpk_pct")).doubleValue(), r.<Double>getAs("cpk_pct"), 0.16);
        assertNull(r.getAs("cp_pct"), "one-sided spec: no cp_pct");
        assertNull(r.getAs("lsl"));
        // normal-theory columns are still there, and overstate the skewed process's capability
        assertTrue(r.<Double>getAs("cpk") > r.<Double>getAs("cpk_pct"));
        assertTrue(r.<Double>getAs("ppm_expected") >= 0 && r.<Double>getAs("ppm_expected") < 1000);
    }

    /**
     * The normal characteristics: each January test rejects normality falsely with probability 0.05,
     * so among 31 the count of rejections is Binomial(31, 0.05) (mean 1.6; P(X ≥ 7) ≈ 0.002); where
     * not rejected the distribution is NORMAL with no percentile indices. Every day has its own test.
     */
    @Test
    void normalCharacteristicsMostlyKeepNormalTheory() {
        Dataset<Row> january = BatchTestSupport.table(SPARK, lake, "gold.process_capability")
                .filter(col("period_type").equalTo("MONTH").and(col("period").equalTo("2025-01"))
                        .and(col("characteristic_id").notEqual(driftCharacteristic())).and(col("characteristic_id").notEqual(skewedCharacteristic())));
        assertEquals(31, january.count());
        long rejected = january.filter("normality_p < 0.05").count();
        assertTrue(rejected <= 6, "false rejections " + rejected);
        assertEquals(31 - rejected, january.filter("distribution = 'NORMAL' AND cpk_pct IS NULL AND normality_p >= 0.05").count());
        assertEquals(0, BatchTestSupport.table(SPARK, lake, "gold.process_capability").filter("period_type = 'DAY' AND normality_p IS NULL").count(),
                "120 values a day: every day tested");
    }

    @SuppressWarnings("unchecked")
    static String driftCharacteristic() {
        return ((Map<String, Object>) truth.get("drift")).get("characteristic_id").toString();
    }

    /**
     * January 2025: 31 × 24 = 744 subgroups of 5 per characteristic. The standard error of Ĉpk from
     * R̄/d₂ is about Cpk·(d₃/d₂)/√744 + 1/(3√3720) ≈ 0.035 at the largest planted Cpk (≈ 2.1), so ±0.1
     * is about 3 standard errors for the worst case and more for the rest. The drifting
     * characteristic is left out (its mean moves on day 22).
     */
    @Test
    void trueCpkRecoveredWithinATenthPerCharacteristic() {
        Dataset<Row> january = BatchTestSupport.table(SPARK, lake, "gold.process_capability")
                .filter("period_type = 'MONTH' AND period = '2025-01'");
        int checked = 0;
        for (Map<String, Object> c : characteristics()) {
            if (c.get("characteristic_id").equals(driftCharacteristic()) || !"NORMAL".equals(c.get("distribution"))) {
                continue; // the skewed characteristic is checked by its percentile Cpk below
            }
            Row r = january.filter(col("characteristic_id").equalTo(c.get("characteristic_id"))).head();
            assertEquals(744, r.<Integer>getAs("subgroups"));
            double trueCpk = ((Number) c.get("cpk")).doubleValue();
            assertEquals(trueCpk, r.<Double>getAs("cpk"), 0.1, c.toString());
            assertEquals(((Number) c.get("sigma")).doubleValue(), r.<Double>getAs("sigma_within"),
                    0.1 * ((Number) c.get("sigma")).doubleValue(), "σ_within within 10 % " + c);
            assertEquals(c.get("critical"), r.<Boolean>getAs("critical"), "critical flag from silver.dim_characteristics");
            checked++;
        }
        assertEquals(31, checked);
    }

    /**
     * The planted drift moves the mean by 1.5σ, i.e. 1.5·√5 = 3.35σ of a subgroup mean: each subgroup
     * after the start then breaks rule 1 with probability Φ(0.35) ≈ 0.64, so the first flag on or
     * after the start day should come within a few subgroups (5 allowed: a miss run of 5 has
     * probability 0.36⁵ ≈ 0.6 %).
     */
    @Test
    @SuppressWarnings("unchecked")
    void drivingCharacteristicIsFlaggedWithinAFewSubgroupsOfItsStart() {
        Map<String, Object> drift = (Map<String, Object>) truth.get("drift");
        Timestamp start = Timestamp.valueOf(LocalDate.parse(drift.get("start_date").toString()).atStartOfDay());
        List<Row> flags = BatchTestSupport.table(SPARK, lake, "gold.spc_violations")
                .filter(col("characteristic_id").equalTo(driftCharacteristic()).and(col("subgroup_time").geq(start)))
                .orderBy("subgroup_time").collectAsList();
        assertFalse(flags.isEmpty(), "the drift is flagged");
        long subgroupsBefore = BatchTestSupport.table(SPARK, lake, "silver.measurements")
                .filter(col("characteristic_id").equalTo(driftCharacteristic()).and(col("event_time").geq(start))
                        .and(col("event_time").lt(flags.get(0).<Timestamp>getAs("subgroup_time"))))
                .select("subgroup_id").distinct().count();
        assertTrue(subgroupsBefore < 5, "first flag after " + subgroupsBefore + " unflagged subgroups");
        long nelson1After = flags.stream().filter(r -> r.<String>getAs("rule").equals("NELSON_1")).count();
        assertTrue(nelson1After > 0.4 * 23 * 24, "most drifted subgroups break rule 1: " + nelson1After);
    }

    /**
     * Rule 1 on stable characteristics: with known parameters the false-alarm rate is 0.0027 per
     * subgroup. Limits estimated from 25 subgroups vary per characteristic and raise the average
     * rate (Quesenberry, "The effect of sample size on estimated limits for X̄ and X control charts",
     * JQT 25(4), 1993), so the band is [0.0027/2, 0.0027·2.5] over 31 × 1,055 ≈ 32,700 monitored
     * subgroups (binomial SE at 0.0027: 0.0003); this world gives 154 alarms, 0.0047. With a baseline
     * of 250 subgroups the estimation effect nearly vanishes and the rate must come within 3 binomial
     * SE (±0.0011 over 31 × 830 subgroups) of 0.0027.
     */
    @Test
    void falseRuleOneAlarmsOnStableCharacteristicsAreNearTheTheoreticalRate() {
        // normal characteristics only: subgroup means of a skewed characteristic exceed 3σ more often
        Row r = BatchTestSupport.table(SPARK, lake, "gold.control_limits")
                .filter(col("characteristic_id").notEqual(driftCharacteristic()).and(col("characteristic_id").notEqual(skewedCharacteristic())))
                .agg(org.apache.spark.sql.functions.sum("violating_subgroups_nelson_1"),
                        org.apache.spark.sql.functions.sum("monitored_subgroups")).head();
        double rate = r.getLong(0) / (double) r.getLong(1);
        assertEquals(31 * (45 * 24 - 25), r.getLong(1));
        assertTrue(rate > 0.0027 / 2 && rate < 0.0027 * 2.5, "false alarm rate " + rate);

        Dataset<Row> perChar = CapabilityTransforms.perCharacteristic(CapabilityTransforms.subgroups(
                BatchTestSupport.table(SPARK, lake, "silver.measurements").filter(col("characteristic_id").notEqual(driftCharacteristic())
                        .and(col("characteristic_id").notEqual(skewedCharacteristic())))));
        Row wide = CapabilityTransforms.limits(CapabilityTransforms.analyse(perChar, 250)).agg(org.apache.spark.sql.functions.sum("violating_subgroups_nelson_1"),
                org.apache.spark.sql.functions.sum("monitored_subgroups")).head();
        double wideRate = wide.getLong(0) / (double) wide.getLong(1);
        assertEquals(31 * (45 * 24 - 250), wide.getLong(1));
        assertEquals(0.0027, wideRate, 3 * Math.sqrt(0.0027 * 0.9973 / wide.getLong(1)), "rate with a 250-subgroup baseline");
    }

    @Test
    void limitsAreXbarRFromTheFirst25Subgroups() {
        Dataset<Row> limits = BatchTestSupport.table(SPARK, lake, "gold.control_limits");
        assertEquals(33, limits.count());
        assertEquals(33, limits.filter("chart = 'XBAR_R' AND subgroup_size = 5 AND baseline_subgroups = 25 AND lcl < center AND center < ucl").count());
        assertEquals(0, BatchTestSupport.table(SPARK, lake, "gold.process_capability")
                .filter("isnan(cpk) OR cpk = double('Infinity') OR reason IS NOT NULL").count());
    }

    /** Null and inverted specs, a single value, a constant process and mixed sizes, through Spark. */
    @Test
    void badMeasurementsGiveDefinedRowsWithReasons() throws Exception {
        Path bad = Files.createTempDirectory("qlake-capability-bad");
        List<byte[]> records = new ArrayList<>();
        int[] seq = {0};
        java.util.function.BiConsumer<String, double[]> add = (spec, values) -> {
            String[] p = spec.split("\\|"); // characteristic|subgroup|lsl|usl
            for (double v : values) {
                records.add(("{\"schema\":\"qlake.production/1\",\"event_id\":\"m" + (seq[0]++) + "\",\"event_type\":\"MEASUREMENT\","
                        + "\"event_time\":\"2026-01-02T0" + (seq[0] % 10) + ":00:00Z\",\"plant_id\":\"P01\",\"line_id\":\"P01-L1\","
                        + "\"station_id\":\"ST10\",\"characteristic_id\":\"" + p[0] + "\",\"subgroup_id\":\"" + p[1] + "\",\"value\":"
                        + v + ",\"lsl\":" + p[2] + ",\"usl\":" + p[3] + ",\"target\":null,\"collection\":\"AUTO\"}")
                        .getBytes(StandardCharsets.UTF_8));
            }
        };
        add.accept("NOSPEC|a|null|null", new double[] {1, 2, 3});
        add.accept("NOSPEC|b|null|null", new double[] {2, 3, 4});
        add.accept("INVERTED|a|5|3", new double[] {3.9, 4.1, 4.0});
        add.accept("INVERTED|b|5|3", new double[] {4.0, 4.2, 4.1});
        add.accept("SINGLE|a|0|10", new double[] {5});
        add.accept("FLAT|a|0|10", new double[] {5, 5, 5});
        add.accept("FLAT|b|0|10", new double[] {5, 5, 5});
        add.accept("MIXED|a|0|10", new double[] {4, 5, 6});
        add.accept("MIXED|b|0|10", new double[] {3, 4, 5, 6, 7});
        BatchTestSupport.writeBronze(SPARK, bad, records);
        BatchTestSupport.run(SPARK, new SilverJob(), bad, null, null);
        BatchTestSupport.run(SPARK, new CapabilityJob(), bad, LocalDate.of(2026, 1, 2), null);

        Dataset<Row> cap = BatchTestSupport.table(SPARK, bad, "gold.process_capability").filter("period_type = 'DAY'");
        assertEquals(0, cap.filter("isnan(cpk) OR isnan(sigma_within) OR abs(cpk) = double('Infinity')").count());
        assertEquals("no spec limits", reason(cap, "NOSPEC"));
        assertTrue(reason(cap, "INVERTED").startsWith("inverted spec limits"));
        assertTrue(reason(cap, "SINGLE").startsWith("single value"));
        assertTrue(reason(cap, "FLAT").contains("sigma = 0"));
        Row mixed = cap.filter("characteristic_id = 'MIXED'").head();
        assertNull(mixed.getAs("reason"));
        assertEquals((2 / 1.693 + 4 / 2.326) / 2, mixed.<Double>getAs("sigma_within"), 1e-9);
        assertNull(cap.filter("characteristic_id = 'MIXED'").head().getAs("critical"), "no dimension loaded: unknown");
        Row singleCap = cap.filter("characteristic_id = 'SINGLE'").head();
        assertTrue(singleCap.<String>getAs("distribution_note").contains("fewer than 8"), "one value is too few for the normality test");
        assertNull(singleCap.getAs("normality_p"));
        assertNotNull(mixed.getAs("normality_p"), "8 values are enough");

        Dataset<Row> limits = BatchTestSupport.table(SPARK, bad, "gold.control_limits");
        assertEquals(5, limits.count(), "one row per characteristic, with or without limits");
        Row single = limits.filter("characteristic_id = 'SINGLE'").head();
        assertNull(single.getAs("chart"));
        assertNotNull(single.getAs("reason"));
        assertNotNull(limits.filter("characteristic_id = 'MIXED'").head().getAs("reason"), "mixed sizes are noted");
    }

    private static String reason(Dataset<Row> cap, String characteristic) {
        return cap.filter(col("characteristic_id").equalTo(characteristic)).head().getAs("reason");
    }
}
