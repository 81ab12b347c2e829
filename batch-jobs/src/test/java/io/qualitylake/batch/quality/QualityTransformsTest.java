package io.qualitylake.batch.quality;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.qualitylake.batch.testkit.BatchTestSupport;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quality KPIs on a hand-computed line-day, and sigma levels against the published conversion table. */
class QualityTransformsTest {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final Timestamp DAY = Timestamp.valueOf("2026-01-05 10:00:00");
    static Row day;
    static Row month;
    static List<Row> pareto;

    /**
     * Line P1-L1 builds model M (5 opportunities per unit) on 2026-01-05:
     * U1 PASS/0 reworks, traced; U2 PASS/1 rework, traced; U3 SCRAP, untraced; U4 PASS/0, traced; each worth 100.
     * Defects: U2 SCRATCH at ST10 (30), U3 DENT at ST20 (60), U3 SCRATCH at ST10 (10). U1 later fails in the field (claim 50).
     * Measurements on the line: 3 AUTO, 1 MANUAL. Spot checks on batch B1: 2, one passed.
     *
     * By hand: units 4, first pass 2 → fpy 0.5; scrap 0.25; rework 0.25; traceability 0.75;
     * defects 3 → dpu 0.75, dpmo = 3 / (4 × 5) × 10⁶ = 150,000, sigma = Φ⁻¹(0.85) + 1.5 = 2.536433;
     * RTY = (1 − 2/4 at ST10) × (1 − 1/4 at ST20) = 0.375;
     * internal 100, external 50, output 400 → quality_loss_rate 37.5 %; auto 0.75; spot-check pass 0.5.
     */
    @BeforeAll
    static void compute() {
        StructType u = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
                .add("line_id", DataTypes.StringType).add("product_model", DataTypes.StringType).add("event_time", DataTypes.TimestampType)
                .add("batch_id", DataTypes.StringType).add("result", DataTypes.StringType).add("rework_count", DataTypes.IntegerType)
                .add("unit_value", DataTypes.DoubleType);
        Dataset<Row> units = SPARK.createDataFrame(List.of(unit("U1", "PASS", 0), unit("U2", "PASS", 1), unit("U3", "SCRAP", 0),
                unit("U4", "PASS", 0)), u);
        Dataset<Row> components = SPARK.createDataFrame(List.of(RowFactory.create("U1"), RowFactory.create("U2"), RowFactory.create("U2"),
                RowFactory.create("U4")), new StructType().add("serial_no", DataTypes.StringType));
        StructType d = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
                .add("line_id", DataTypes.StringType).add("station_id", DataTypes.StringType).add("defect_code", DataTypes.StringType)
                .add("cost", DataTypes.DoubleType).add("event_time", DataTypes.TimestampType);
        Dataset<Row> defects = SPARK.createDataFrame(List.of(RowFactory.create("U2", "P1", "P1-L1", "ST10", "SCRATCH", 30.0, DAY),
                RowFactory.create("U3", "P1", "P1-L1", "ST20", "DENT", 60.0, DAY),
                RowFactory.create("U3", "P1", "P1-L1", "ST10", "SCRATCH", 10.0, DAY)), d);
        StructType m = new StructType().add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
                .add("collection", DataTypes.StringType).add("event_time", DataTypes.TimestampType);
        Dataset<Row> measurements = SPARK.createDataFrame(List.of(RowFactory.create("P1", "P1-L1", "AUTO", DAY),
                RowFactory.create("P1", "P1-L1", "AUTO", DAY), RowFactory.create("P1", "P1-L1", "AUTO", DAY),
                RowFactory.create("P1", "P1-L1", "MANUAL", DAY)), m);
        StructType s = new StructType().add("plant_id", DataTypes.StringType).add("batch_id", DataTypes.StringType)
                .add("product_model", DataTypes.StringType).add("passed", DataTypes.BooleanType).add("event_time", DataTypes.TimestampType);
        Dataset<Row> spot = SPARK.createDataFrame(List.of(RowFactory.create("P1", "B1", "M", true, DAY),
                RowFactory.create("P1", "B1", "M", false, DAY)), s);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("U1", 50.0)),
                new StructType().add("serial_no", DataTypes.StringType).add("claim_cost", DataTypes.DoubleType));
        Dataset<Row> products = SPARK.createDataFrame(List.of(RowFactory.create("M", 5)),
                new StructType().add("product_model", DataTypes.StringType).add("opportunities_per_unit", DataTypes.IntegerType));
        Dataset<Row> kpis = QualityTransforms.kpis(units, components, defects, measurements, spot, failures, products);
        day = kpis.filter(col("period_type").equalTo("DAY")).head();
        month = kpis.filter(col("period_type").equalTo("MONTH")).head();
        pareto = QualityTransforms.pareto(defects).filter(col("period_type").equalTo("DAY")).orderBy("rank").collectAsList();
    }

    private static Row unit(String serial, String result, int rework) {
        return RowFactory.create(serial, "P1", "P1-L1", "M", DAY, "B1", result, rework, 100.0);
    }

    @Test
    void yieldsAndRates() {
        assertEquals("2026-01-05", day.getAs("period"));
        assertEquals(4L, day.<Long>getAs("units"));
        assertEquals(0.5, day.<Double>getAs("fpy"), 1e-12);
        assertEquals(0.25, day.<Double>getAs("scrap_rate"), 1e-12);
        assertEquals(0.25, day.<Double>getAs("rework_rate"), 1e-12);
        assertEquals(0.75, day.<Double>getAs("traceability_coverage"), 1e-12);
        assertEquals(0.75, day.<Double>getAs("auto_collection_rate"), 1e-12);
        assertEquals(2L, day.<Long>getAs("spot_checks"));
        assertEquals(0.5, day.<Double>getAs("spot_check_pass_rate"), 1e-12);
    }

    @Test
    void defectsDpmoSigmaAndRolledThroughputYield() {
        assertEquals(3L, day.<Long>getAs("defects"));
        assertEquals(0.75, day.<Double>getAs("dpu"), 1e-12);
        assertEquals(150_000, day.<Double>getAs("dpmo"), 1e-9);
        assertEquals(2.536433, day.<Double>getAs("sigma_level"), 1e-6);
        assertEquals(0.375, day.<Double>getAs("rty"), 1e-12);
    }

    @Test
    void qualityLoss() {
        assertEquals(100.0, day.<Double>getAs("internal_loss"), 1e-12);
        assertEquals(50.0, day.<Double>getAs("external_loss"), 1e-12);
        assertEquals(400.0, day.<Double>getAs("output_value"), 1e-12);
        assertEquals(37.5, day.<Double>getAs("quality_loss_rate"), 1e-12);
        assertEquals("2026-01", month.getAs("period"));
        assertEquals(37.5, month.<Double>getAs("quality_loss_rate"), 1e-12, "one day in the month: same values");
    }

    @Test
    void defectPareto() {
        // plant, line, period_type, period, code, defects, cost, share, rank, cum_share
        io.qualitylake.batch.testkit.FrameAssertions.assertRowsApproxEqual(List.of(
                RowFactory.create("P1", "P1-L1", "DAY", "2026-01-05", "SCRATCH", 2L, 40.0, 2.0 / 3, 1, 2.0 / 3),
                RowFactory.create("P1", "P1-L1", "DAY", "2026-01-05", "DENT", 1L, 60.0, 1.0 / 3, 2, 1.0)),
                pareto.stream().map(r -> RowFactory.create(r.getAs("plant_id"), r.getAs("line_id"), r.getAs("period_type"),
                        r.getAs("period"), r.getAs("defect_code"), r.getAs("defects"), r.getAs("cost"), r.getAs("share"),
                        r.getAs("rank"), r.getAs("cum_share"))).toList(), 1e-12);
        assertEquals(2, pareto.size());
        assertEquals("SCRATCH", pareto.get(0).getAs("defect_code"));
        assertEquals(2.0 / 3, pareto.get(0).<Double>getAs("share"), 1e-12);
        assertEquals(2.0 / 3, pareto.get(0).<Double>getAs("cum_share"), 1e-12);
        assertEquals(40.0, pareto.get(0).<Double>getAs("cost"), 1e-12);
        assertEquals("DENT", pareto.get(1).getAs("defect_code"));
        assertEquals(2, pareto.get(1).<Integer>getAs("rank"));
        assertEquals(1.0, pareto.get(1).<Double>getAs("cum_share"), 1e-12);
    }

    /**
     * The long-term DPMO ↔ sigma-level conversion table with the conventional 1.5σ shift, as printed
     * in Six Sigma references (e.g. Breyfogle, Implementing Six Sigma, 2nd ed., sigma conversion table;
     * Motorola's 3.4 DPMO at 6σ): 691,462 → 1; 308,538 → 2; 66,807 → 3; 6,210 → 4; 233 → 5; 3.4 → 6.
     * The printed DPMO are rounded, so the sigma they give agrees to 1e-3.
     */
    @Test
    void sigmaLevelsMatchThePublishedConversionTable() {
        double[][] table = {{691_462, 1}, {308_538, 2}, {66_807, 3}, {6_210, 4}, {233, 5}, {3.4, 6}};
        for (double[] row : table) {
            assertEquals(row[1], QualityTransforms.sigmaLevel(row[0]), 1e-3, "dpmo " + row[0]);
        }
        assertNull(QualityTransforms.sigmaLevel(0), "no defects: sigma level undefined (SPEC: null)");
    }
}
