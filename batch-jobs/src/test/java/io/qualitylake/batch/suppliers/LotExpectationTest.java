package io.qualitylake.batch.suppliers;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.testkit.BatchTestSupport;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Expected failures of a lot that respect age and plant (SPEC §5), on hand-made fleets. */
class LotExpectationTest {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final Instant END = Instant.parse("2026-01-01T00:00:00Z");
    static final long MICROS_PER_DAY = 86_400_000_000L;

    /** A hand-made fleet: production units, installs, failures and lots, built unit by unit. */
    static final class Fleet {
        final List<Row> units = new ArrayList<>();
        final List<Row> installs = new ArrayList<>();
        final List<Row> failures = new ArrayList<>();
        final List<Row> components = new ArrayList<>();
        int serial;

        /** One unit of model at plant (lot: comma-separated lots, one per component, or null), installed {@code ageAtEnd} days before END, failing at the given ages (days). */
        String unit(String model, String plant, String lot, double ageAtEnd, double... failAges) {
            String s = "U" + (++serial);
            Instant installed = END.minusNanos((long) (ageAtEnd * MICROS_PER_DAY) * 1000);
            units.add(RowFactory.create(s, plant, model, Timestamp.from(installed.minusSeconds(3 * 86_400))));
            installs.add(RowFactory.create(s, plant, model, Timestamp.from(installed)));
            for (double a : failAges) {
                failures.add(RowFactory.create(s, Timestamp.from(installed.plusNanos((long) (a * MICROS_PER_DAY) * 1000))));
            }
            if (lot != null) {
                String[] component = {"bearing", "seal", "controller"};
                String[] lots = lot.split(",");
                for (int i = 0; i < lots.length; i++) {
                    components.add(RowFactory.create(s, lots[i], lots[i].substring(0, 2), component[i]));
                }
            }
            return s;
        }

        /**
         * A cohort of n units installed c days before END whose lives are the Weibull(β, η) quantiles
         * η(−ln(1 − (i − ½)/n))^(1/β), i = 1 … n: a sample with no sampling noise; a unit fails when its
         * life is shorter than c, else it is censored at c.
         */
        void cohort(String model, String plant, String lot, int n, double c, double beta, double eta) {
            for (int i = 1; i <= n; i++) {
                double life = eta * Math.pow(-Math.log(1 - (i - 0.5) / n), 1 / beta);
                if (life < c) {
                    unit(model, plant, lot, c, life);
                } else {
                    unit(model, plant, lot, c);
                }
            }
        }

        Map<String, Row> lots() {
            StructType u = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
                    .add("product_model", DataTypes.StringType).add("event_time", DataTypes.TimestampType);
            StructType f = new StructType().add("serial_no", DataTypes.StringType).add("event_time", DataTypes.TimestampType);
            StructType c = new StructType().add("serial_no", DataTypes.StringType).add("lot_id", DataTypes.StringType)
                    .add("supplier_id", DataTypes.StringType).add("component", DataTypes.StringType);
            Dataset<Row> lots = SupplierTransforms.suspectLots(SPARK.createDataFrame(units, u), SPARK.createDataFrame(components, c),
                    SPARK.createDataFrame(installs, u), SPARK.createDataFrame(failures, f), Timestamp.from(END));
            Map<String, Row> out = new TreeMap<>();
            for (Row r : lots.collectAsList()) {
                out.put(r.getAs("lot_id"), r);
            }
            return out;
        }
    }

    /**
     * Two lots with the same true hazard as the rest of their model at their plant — Weibull
     * β = 2, η = 250 days, a wear-out life — but different ages: OLD (40 units, 240 days in the
     * field) and YOUNG (40 units, 30 days). The rest: 15 cohorts of 60 units installed 10, 20, …,
     * 150 days before the end. All lives are Weibull quantiles (no sampling noise).
     *
     * <p>The old constant-rate rule, by hand: units without OLD are the rest (106 failures,
     * 60·10·(1+…+15) = 72 000 unit-days) and YOUNG (1 failure, 1 200 unit-days): rate 107/73 200
     * per unit-day; OLD holds 40·240 = 9 600 unit-days, so E = 9 600·107/73 200 = 14.0328 against
     * O = 24: p = 0.00957, and with YOUNG's p = 0.852 the BH q = 2p = 0.019 &lt; 0.05 — OLD would be
     * called back for being old.
     *
     * <p>The new rule: OLD holds 18 % of the group's failures (&gt; 5 %), so the group is refitted
     * without it; an independent censored Weibull MLE of those 940 units (scipy brentq on the
     * profile equation, done for this test) gives β = 2.06301, η = 243.631 and Σ H over OLD's units
     * E = 25.1472. YOUNG holds 4 % of the units and 0.8 % of the failures, so the whole group's
     * fit serves (β = 2.04554, η = 246.134): E = 0.538184. The truth, Σ (t/250)² over the units,
     * is 24.0834 and 0.5742: the fitted E is within 5 % and 7 % of it (the quantile sample is
     * coarse in the censored tail, which biases the MLE slightly).
     */
    @Test
    void olderLotOfTheSameHazardIsNotFlagged() {
        Fleet fleet = new Fleet();
        for (int c = 10; c <= 150; c += 10) {
            fleet.cohort("M1", "P1", null, 60, c, 2, 250);
        }
        fleet.cohort("M1", "P1", "SA-OLD", 40, 240, 2, 250);
        fleet.cohort("M1", "P1", "SA-YOUNG", 40, 30, 2, 250);

        // the old rule, from the fleet by hand: failures and unit-days to the end of the units without each lot
        double[] oldRule = oldRule(fleet, "SA-OLD");
        assertEquals(24, oldRule[0]);
        assertEquals(9600.0 * 107 / 73_200, oldRule[1], 1e-9);
        double pOld = SupplierTransforms.poissonUpperTail(oldRule[1], (long) oldRule[0]);
        assertEquals(0.00957227, pOld, 1e-7);
        double[] youngOld = oldRule(fleet, "SA-YOUNG");
        double pYoungOld = SupplierTransforms.poissonUpperTail(youngOld[1], (long) youngOld[0]);
        assertTrue(pYoungOld > pOld);
        assertTrue(Math.min(1, pOld * 2 / 1) < SupplierTransforms.Q_LIMIT, "the old rule flags the old lot: q = " + 2 * pOld);

        Map<String, Row> lots = fleet.lots();
        Row old = lots.get("SA-OLD");
        Row young = lots.get("SA-YOUNG");
        assertEquals(24L, old.<Long>getAs("observed_failures"));
        // 1e-4 relative: both MLEs solve the same profile equation to ~1e-12; the rest is float summation
        assertEquals(25.147230, old.<Double>getAs("expected_failures"), 25.147230 * 1e-4, old.toString());
        assertEquals(24.083386, old.<Double>getAs("expected_failures"), 24.083386 * 0.05, "close to the true Σ H");
        assertEquals(1L, young.<Long>getAs("observed_failures"));
        assertEquals(0.538184, young.<Double>getAs("expected_failures"), 0.538184 * 1e-4, young.toString());
        for (Row r : List.of(old, young)) {
            assertFalse(r.<Boolean>getAs("flagged"), r.toString());
            assertTrue(r.<Double>getAs("q_value") > 0.5, r.toString());
            assertEquals(LotExpectation.WEIBULL_PLANT, r.getAs("expected_method"));
            assertNull(r.getAs("expected_reason"));
        }
    }

    /** O and E of the old rule (SPEC §5 before issue 19): all failures; E = unit-days to the end × the rate of the units without the lot. */
    private static double[] oldRule(Fleet fleet, String lot) {
        java.util.Set<String> inLot = new java.util.HashSet<>();
        for (Row c : fleet.components) {
            if (lot.equals(c.getString(1))) {
                inLot.add(c.getString(0));
            }
        }
        Map<String, Integer> failures = new java.util.HashMap<>();
        fleet.failures.forEach(f -> failures.merge(f.getString(0), 1, Integer::sum));
        double o = 0, lotDays = 0, restFailures = 0, restDays = 0;
        for (Row i : fleet.installs) {
            double days = (END.toEpochMilli() - ((Timestamp) i.get(3)).getTime()) / 86_400_000.0;
            int n = failures.getOrDefault(i.getString(0), 0);
            if (inLot.contains(i.getString(0))) {
                o += n;
                lotDays += days;
            } else {
                restFailures += n;
                restDays += days;
            }
        }
        return new double[] {o, lotDays * restFailures / restDays};
    }

    /**
     * A lot at a plant that builds shorter lives (η = 120 against 300 at the other plant, both β = 2)
     * is compared with its own plant. The rest of each plant carries one other bearing lot (SR-P1, SR-P2). WEAK: 30 units at P2 and 10 at P1, 200 days in the field, lives
     * as their plant's. Pooled over the model, its hazard looks high: a Weibull of both plants together
     * (computed independently for this test: β = 1.727, η = 188.5) would give E = 21.55 against
     * O = 32, p = 0.021. Per plant (P2 refitted without the lot, which holds 5.9 % of its units;
     * P1's whole-group fit, the lot holding 2 % of its units and 4 % of its failures) E ≈ the true
     * Σ (t/η_plant)² = 31.72 and p stays large.
     */
    @Test
    void lotAtAWeakerPlantIsComparedWithItsOwnPlant() {
        Fleet fleet = new Fleet();
        for (int c = 20; c <= 240; c += 20) {
            fleet.cohort("M1", "P1", "SR-P1", 40, c, 2, 300);
            fleet.cohort("M1", "P2", "SR-P2", 40, c, 2, 120);
        }
        fleet.cohort("M1", "P2", "SW-WEAK", 30, 200, 2, 120);
        fleet.cohort("M1", "P1", "SW-WEAK", 10, 200, 2, 300);
        Row weak = fleet.lots().get("SW-WEAK");
        // truth: Σ (t/η_plant)² over the lot's units; tolerance 10 %: the MLEs of quantile samples (480 units per plant)
        double truth = 0;
        for (int i = 1; i <= 30; i++) {
            truth += Math.pow(Math.min(200, 120 * Math.sqrt(-Math.log(1 - (i - 0.5) / 30))) / 120, 2);
        }
        for (int i = 1; i <= 10; i++) {
            truth += Math.pow(Math.min(200, 300 * Math.sqrt(-Math.log(1 - (i - 0.5) / 10))) / 300, 2);
        }
        assertEquals(truth, weak.<Double>getAs("expected_failures"), truth * 0.10, weak.toString());
        assertFalse(weak.<Boolean>getAs("flagged"), weak.toString());
        assertTrue(weak.<Double>getAs("p_value") > 0.2, weak.toString());
        assertEquals(LotExpectation.WEIBULL_PLANT, weak.getAs("expected_method"));
    }

    /**
     * Age bands where no Weibull can be fitted, by hand. Model M2 at P1: 10 units 90 days in the
     * field, two of which fail at age 15 (one distinct failure time → no Weibull); lot SB-Q: 2 units
     * 40 days in the field, Q1 failing at ages 20 and 35 (a recurrence), Q2 surviving. Bands of the
     * reference (the 10 units): [0, 30) 2 failures in 2·15 + 8·30 = 270 unit-days; [30, 60) and
     * [60, 90) none. E = 20·2/270 (Q1 to its first failure) + 30·2/270 + 10·0 (Q2) = 100/270;
     * O = 1 (first failures); p = 1 − e^(−100/270).
     * Model M3 at P1: every unit carries SC-Z, so there is no reference: E, p and q are null, a
     * reason says why, and it is not flagged (it is not a test).
     */
    @Test
    void ageBandsWhenNoWeibullAndNullWithoutReference() {
        Fleet fleet = new Fleet();
        fleet.unit("M2", "P1", null, 90, 15);
        fleet.unit("M2", "P1", null, 90, 15);
        for (int i = 0; i < 8; i++) {
            fleet.unit("M2", "P1", null, 90);
        }
        fleet.unit("M2", "P1", "SB-Q", 40, 20, 35);
        fleet.unit("M2", "P1", "SB-Q", 40);
        for (int i = 1; i <= 3; i++) {
            fleet.unit("M3", "P1", "SC-Z", 50, 10 * i);
        }
        Map<String, Row> lots = fleet.lots();
        Row q = lots.get("SB-Q");
        assertEquals(1L, q.<Long>getAs("observed_failures"));
        assertEquals(100.0 / 270, q.<Double>getAs("expected_failures"), 1e-9);
        assertEquals(1 - Math.exp(-100.0 / 270), q.<Double>getAs("p_value"), 1e-9);
        assertEquals(LotExpectation.AGE_BANDS, q.getAs("expected_method"));
        assertTrue(q.<String>getAs("expected_reason").contains("M2@P1: fewer than 2 distinct failure times"), q.toString());
        Row z = lots.get("SC-Z");
        assertNull(z.getAs("expected_failures"));
        assertNull(z.getAs("p_value"));
        assertNull(z.getAs("q_value"));
        assertFalse(z.<Boolean>getAs("flagged"));
        assertEquals("M3@P1: " + LotExpectation.NO_REFERENCE, z.getAs("expected_reason"));
        assertEquals(1 - Math.exp(-100.0 / 270), q.<Double>getAs("q_value"), 1e-9, "BH over the one lot that is a test");
    }

    /**
     * A lot that rode on a bad lot's units is explained by it, by hand. M4 at P1: 20 reference units
     * 60 days in the field, two failing at age 15 (one distinct failure time → age bands): rates
     * 2/570 per unit-day in [0, 30) (2·15 + 18·30 = 570 unit-days), 0 in [30, 60). 10 units carry
     * both SA-A (bearing) and SB-B (seal), 60 days in the field; 5 fail at ages 5, 10, 15, 20, 25.
     * E = (5 + 10 + 15 + 20 + 25 + 5·30)·2/570 = 450/570 for each lot, O = 5:
     * p = P(Poisson(0.78947) ≥ 5) = 1 − e^(−E)(1 + E + E²/2 + E³/6 + E⁴/24) for both, BH q = p.
     * Both are flagged by q; the tie goes to the smaller lot_id, so SB-B's excess has no unit of
     * its own (O = 0 without SA-A): it is explained by SA-A and not flagged.
     */
    @Test
    void lotRidingOnAFlaggedLotIsExplainedByIt() {
        Fleet fleet = new Fleet();
        fleet.unit("M4", "P1", null, 60, 15);
        fleet.unit("M4", "P1", null, 60, 15);
        for (int i = 0; i < 18; i++) {
            fleet.unit("M4", "P1", null, 60);
        }
        for (int a = 5; a <= 25; a += 5) {
            fleet.unit("M4", "P1", "SA-A,SB-B", 60, a);
        }
        for (int i = 0; i < 5; i++) {
            fleet.unit("M4", "P1", "SA-A,SB-B", 60);
        }
        Map<String, Row> lots = fleet.lots();
        double e = 450.0 / 570;
        double p = 1 - Math.exp(-e) * (1 + e + e * e / 2 + e * e * e / 6 + e * e * e * e / 24);
        for (String id : List.of("SA-A", "SB-B")) {
            Row r = lots.get(id);
            assertEquals(5L, r.<Long>getAs("observed_failures"));
            assertEquals(e, r.<Double>getAs("expected_failures"), 1e-9, r.toString());
            assertEquals(p, r.<Double>getAs("p_value"), 1e-9, r.toString());
            assertEquals(p, r.<Double>getAs("q_value"), 1e-9, r.toString());
        }
        assertTrue(lots.get("SA-A").<Boolean>getAs("flagged"));
        assertNull(lots.get("SA-A").getAs("explained_by"));
        assertEquals(5L, lots.get("SA-A").<Long>getAs("observed_without_stronger_lots"));
        assertFalse(lots.get("SB-B").<Boolean>getAs("flagged"));
        assertEquals("SA-A", lots.get("SB-B").getAs("explained_by"));
        assertEquals(0L, lots.get("SB-B").<Long>getAs("observed_without_stronger_lots"));
    }
}
