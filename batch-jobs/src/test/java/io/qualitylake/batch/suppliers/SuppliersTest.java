package io.qualitylake.batch.suppliers;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SuppliersTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    /** P(Poisson(2) ≥ 5) = 1 − e⁻²(1 + 2 + 2 + 4/3 + 2/3) = 1 − 7e⁻² = 0.052653. */
    @Test
    void poissonUpperTail() {
        assertEquals(1 - 7 * Math.exp(-2), SupplierTransforms.poissonUpperTail(2, 5), 1e-12);
        assertEquals(1.0, SupplierTransforms.poissonUpperTail(2, 0));
        assertEquals(0.0, SupplierTransforms.poissonUpperTail(0, 1), "failures where none are expected");
        assertEquals(1 - Math.exp(-0.5), SupplierTransforms.poissonUpperTail(0.5, 1), 1e-12);
    }

    /**
     * Hand-computed Benjamini–Hochberg, m = 5: p sorted 0.005, 0.01, 0.03, 0.04, 0.20 → p·m/rank =
     * 0.025, 0.025, 0.05, 0.05, 0.20 → q (step-up minimum from the largest) 0.025, 0.025, 0.05, 0.05,
     * 0.20. And the step-up correction, m = 3: p = 0.01, 0.02, 0.021 → raw 0.03, 0.03, 0.021 → q = 0.021 for all.
     */
    @Test
    void benjaminiHochbergHandComputed() {
        assertQ(new double[] {0.01, 0.04, 0.03, 0.005, 0.20}, new double[] {0.025, 0.05, 0.05, 0.025, 0.20});
        assertQ(new double[] {0.01, 0.02, 0.021}, new double[] {0.021, 0.021, 0.021});
    }

    private static void assertQ(double[] p, double[] q) {
        StructType schema = new StructType().add("lot_id", DataTypes.StringType).add("p_value", DataTypes.DoubleType);
        List<Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < p.length; i++) {
            rows.add(RowFactory.create("L" + i, p[i]));
        }
        List<Row> out = SupplierTransforms.withQValues(SPARK.createDataFrame(rows, schema)).orderBy("lot_id").collectAsList();
        for (int i = 0; i < p.length; i++) {
            assertEquals(q[i], out.get(i).<Double>getAs("q_value"), 1e-12, "lot " + i);
        }
    }

    /** The planted bad lot (β = 0.6 early-life failures) is flagged, with at most one false flag. */
    @Test
    @SuppressWarnings("unchecked")
    void plantedBadLotIsFlagged() throws Exception {
        GradingWorld world = GradingWorld.get();
        BatchTestSupport.run(SPARK, new SuppliersJob(), world.lake, world.asOf, null);
        Map<String, Object> bad = (Map<String, Object>) world.truth.get("bad_lot");
        Dataset<Row> lots = BatchTestSupport.table(SPARK, world.lake, "gold.suspect_lots");
        Row badRow = lots.filter(col("lot_id").equalTo(bad.get("lot_id"))).head();
        assertTrue(badRow.<Boolean>getAs("flagged"), badRow.toString());
        assertTrue(badRow.<Double>getAs("ratio") > 2, "observed well above expected: " + badRow);
        long falseFlags = lots.filter(col("flagged").and(col("lot_id").notEqual(bad.get("lot_id")))).count();
        assertTrue(falseFlags <= 1, falseFlags + " false flags");
        assertTrue(lots.filter(col("explained_by").equalTo(bad.get("lot_id"))).count() >= 2,
                "lots that rode on the bad lot's units are explained by it, not flagged");
        assertEquals(0, lots.filter("q_value < p_value OR q_value > 1 OR p_value < 0 OR p_value > 1").count());

        Dataset<Row> cards = BatchTestSupport.table(SPARK, world.lake, "gold.supplier_scorecards");
        Row supplier = cards.filter(col("supplier_id").equalTo(bad.get("supplier_id"))).head();
        assertTrue(((Number) supplier.getAs("flagged_lots")).longValue() >= 1);
        assertEquals(bad.get("supplier_id"), cards.orderBy("score").head().getAs("supplier_id"));
        long units = lots.agg(org.apache.spark.sql.functions.sum("units")).head().getLong(0);
        assertEquals(units, cards.agg(org.apache.spark.sql.functions.sum("units")).head().getLong(0), "scorecards add up the lots");
    }
}
