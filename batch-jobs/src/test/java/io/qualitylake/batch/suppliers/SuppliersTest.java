package io.qualitylake.batch.suppliers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qualitylake.batch.testkit.BatchTestSupport;
import java.util.List;
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
}
