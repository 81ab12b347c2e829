package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.grading.Rubric;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Trailing windows over calendar months and the quality-loss maturity rule, on tiny hand-computed tables. */
class GradingEvidenceTest {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final double EPS = 1e-9;

    static Dataset<Row> frame(StructType schema, Row... rows) {
        return SPARK.createDataFrame(List.of(rows), schema);
    }

    static final StructType KPIS = new StructType().add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("product_model", DataTypes.StringType).add("units", DataTypes.LongType)
            .add("first_pass_units", DataTypes.LongType).add("defects", DataTypes.LongType).add("opportunities", DataTypes.LongType)
            .add("loss", DataTypes.DoubleType).add("output_value", DataTypes.DoubleType);
    static final StructType EXPOSURE = new StructType().add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("product_model", DataTypes.StringType).add("period", DataTypes.StringType).add("unit_days", DataTypes.DoubleType)
            .add("failures", DataTypes.LongType);
    static final StructType CAPABILITY = new StructType().add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("period_type", DataTypes.StringType).add("period", DataTypes.StringType).add("critical", DataTypes.BooleanType)
            .add("cpk", DataTypes.DoubleType).add("n", DataTypes.LongType);
    static final StructType LOSS_SQ = new StructType().add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("loss_sq", DataTypes.DoubleType);

    /**
     * Line L1 builds in January, February and April (not March); field exposure and failures come
     * in March too. AFR and dpmo pool 3 calendar months (April: February–April, a range over month
     * numbers, not 3 rows), fpy, the Cpk share and the loss rate take the month alone.
     */
    @Test
    void windowsPoolCountsOverCalendarMonths() {
        Dataset<Row> kpis = frame(KPIS,
                RowFactory.create("P1", "L1", "2025-01", "M", 100L, 90L, 5L, 1000L, 10.0, 1000.0),
                RowFactory.create("P1", "L1", "2025-02", "M", 200L, 190L, 6L, 2000L, 20.0, 2000.0),
                RowFactory.create("P1", "L1", "2025-04", "M", 300L, 280L, 7L, 3000L, 30.0, 3000.0));
        Dataset<Row> exposure = frame(EXPOSURE,
                RowFactory.create("P1", "L1", "M", "2025-01", 100.0, 1L),
                RowFactory.create("P1", "L1", "M", "2025-03", 200.0, 2L),
                RowFactory.create("P1", "L1", "N", "2025-03", 100.0, 0L),
                RowFactory.create("P1", "L1", "M", "2025-04", 400.0, 0L));
        Dataset<Row> capability = frame(CAPABILITY,
                RowFactory.create("P1", "L1", "MONTH", "2025-01", true, 1.5, 100L),
                RowFactory.create("P1", "L1", "MONTH", "2025-02", true, 1.2, 100L),
                RowFactory.create("P1", "L1", "MONTH", "2025-04", true, 1.4, 50L),
                RowFactory.create("P1", "L1", "MONTH", "2025-04", false, 0.5, 50L),
                RowFactory.create("P1", "L1", "DAY", "2025-04-02", true, 0.9, 10L));
        Dataset<Row> lossSq = frame(LOSS_SQ, RowFactory.create("P1", "L1", "2025-04", 200.0));
        Rubric.Stability s = Rubric.Stability.of(3, List.of("afr_ratio", "dpmo"), "none", 1000);
        List<Row> rows = LineEvidence.values(LineEvidence.windowed(kpis, exposure, capability, lossSq, s))
                .orderBy("period").collectAsList();
        assertEquals(List.of("2025-01", "2025-02", "2025-04"), rows.stream().map(r -> r.<String>getAs("period")).toList(),
                "a month with field exposure but no production gets no grade row");
        Row apr = rows.get(2);
        assertEquals(300L, apr.<Long>getAs("w_units"));
        assertEquals(280.0 / 300, apr.getAs("fpy"), EPS);
        assertEquals(13L, ((Number) apr.getAs("w_defects")).longValue(), "February + April");
        assertEquals(13.0 / 5000 * 1e6, apr.getAs("dpmo"), EPS);
        assertEquals(700.0, apr.getAs("w_unit_days"), EPS, "March (both models) + April");
        assertEquals(2L, ((Number) apr.getAs("w_failures")).longValue());
        assertEquals(2 / (700 / 365.0) * 100, apr.getAs("afr"), EPS);
        assertEquals(1.0, apr.getAs("quality_loss_rate"), EPS);
        assertEquals(30.0 * 30 / 200, apr.getAs("w_loss_events"), EPS, "(sum c)^2 / sum c^2");
        assertEquals(1.0, apr.getAs("critical_cpk_share"), EPS, "April's one critical characteristic, 1.4");
        Row feb = rows.get(1);
        assertEquals(11L, ((Number) feb.getAs("w_defects")).longValue(), "January + February");
        assertEquals(100.0, feb.getAs("w_unit_days"), EPS);
        assertEquals(0.0, feb.getAs("critical_cpk_share"), EPS);
        assertEquals(0.0, feb.getAs("w_loss_events"), EPS, "no loss events recorded: no loss interval");

        s = Rubric.Stability.of(3, List.of("critical_cpk_share"), "none", 1000);
        apr = LineEvidence.values(LineEvidence.windowed(kpis, exposure, capability, lossSq, s)).filter(col("period").equalTo("2025-04")).head();
        assertEquals(0.5, apr.getAs("critical_cpk_share"), EPS, "February's 1.2 and April's 1.4");
        assertEquals(2, apr.<Integer>getAs("critical_measured"));
    }

    static final StructType QK = new StructType().add("plant_id", DataTypes.StringType).add("period_type", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("internal_loss", DataTypes.DoubleType).add("output_value", DataTypes.DoubleType);
    static final StructType UNITS = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType);
    static final StructType FAILS = new StructType().add("serial_no", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
            .add("claim_cost", DataTypes.DoubleType);

    static Timestamp t(String iso) {
        return Timestamp.from(java.time.Instant.parse(iso));
    }

    /**
     * January: internal 100 + S1's claim 200 (50 days after build) over 10 000 = 3.0 %; S2's claim
     * 132 days after build is past maturity and never counts. February: 50 + S3's 30 over 10 000 =
     * 0.8 %, a change of (0.8 − 3)/3 = −73.3 %. February ends 2025-03-01, so it is compared from
     * as_of 2025-05-29 (end instant 2025-05-30 00:00Z) on; before that its criteria are pending.
     */
    @Test
    void lossIsComparedAtEqualMaturity() {
        Dataset<Row> kpis = frame(QK, RowFactory.create("P1", "MONTH", "2025-01", 100.0, 10_000.0),
                RowFactory.create("P1", "MONTH", "2025-02", 50.0, 10_000.0), RowFactory.create("P1", "DAY", "2025-02-01", 9.0, 9.0));
        Dataset<Row> units = frame(UNITS, RowFactory.create("S1", "P1", t("2025-01-10T08:00:00Z")),
                RowFactory.create("S2", "P1", t("2025-01-20T08:00:00Z")), RowFactory.create("S3", "P1", t("2025-02-05T08:00:00Z")));
        Dataset<Row> fails = frame(FAILS, RowFactory.create("S1", t("2025-03-01T08:00:00Z"), 200.0),
                RowFactory.create("S2", t("2025-06-01T08:00:00Z"), 1000.0), RowFactory.create("S3", t("2025-03-01T08:00:00Z"), 30.0));
        java.util.function.UnaryOperator<Dataset<Row>> ent = d -> d.withColumn("enterprise_id", col("plant_id"));

        Map<String, Row> early = byPeriod(LossMaturity.enterpriseMonths(kpis, units, fails, t("2025-05-15T00:00:00Z"), ent));
        assertEquals(3.0, early.get("2025-01").getAs("quality_loss_rate"), EPS);
        assertNull(early.get("2025-01").getAs("quality_loss_note"));
        assertNull(early.get("2025-02").getAs("quality_loss_rate"));
        assertNull(early.get("2025-02").getAs("quality_loss_rate_change"));
        assertEquals("loss of the period (internal + claims within 90 days of build) is compared once 90 days have passed "
                + "since its end: from 2025-05-29", early.get("2025-02").getAs("quality_loss_note"));

        Map<String, Row> late = byPeriod(LossMaturity.enterpriseMonths(kpis, units, fails, t("2025-06-15T00:00:00Z"), ent));
        assertEquals(3.0, late.get("2025-01").getAs("quality_loss_rate"), EPS, "S2's late claim does not count");
        assertEquals(0.8, late.get("2025-02").getAs("quality_loss_rate"), EPS);
        assertEquals((0.8 - 3.0) / 3.0, late.get("2025-02").getAs("quality_loss_rate_change"), EPS);
        assertNull(late.get("2025-02").getAs("quality_loss_note"));
        Map<String, Row> onTheDay = byPeriod(LossMaturity.enterpriseMonths(kpis, units, fails, t("2025-05-30T00:00:00Z"), ent));
        assertNull(onTheDay.get("2025-02").getAs("quality_loss_note"), "as_of 2025-05-29: mature");
    }

    static Map<String, Row> byPeriod(Dataset<Row> d) {
        Map<String, Row> m = new java.util.HashMap<>();
        for (Row r : d.collectAsList()) {
            m.put(r.getAs("period"), r);
        }
        return m;
    }
}
