package io.qualitylake.batch.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.holdenkarau.spark.testing.DataFrameSuiteBase$;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * DataFrame assertions from spark-testing-base, usable from JUnit 5 (its JUnit 4 base classes
 * would start a second SparkSession; the row comparison itself needs none).
 */
public final class FrameAssertions {
    private FrameAssertions() {}

    /** Same rows in the same order; doubles equal within {@code tolerance}. */
    public static void assertRowsApproxEqual(List<Row> expected, List<Row> actual, double tolerance) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) {
            Row e = expected.get(i);
            Row a = actual.get(i);
            assertTrue(DataFrameSuiteBase$.MODULE$.approxEquals(e, a, tolerance), "row " + i + ": expected " + e + " but was " + a);
        }
    }
}
