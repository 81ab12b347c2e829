package io.qualitylake.batch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qualitylake.batch.testkit.BatchTestSupport;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Warranty months-in-service (SPEC §4) on a hand-computed case. */
class WarrantyMisTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    static final StructType LIVES = new StructType().add("serial_no", DataTypes.StringType).add("product_model", DataTypes.StringType)
            .add("build_month", DataTypes.StringType).add("installed_at", DataTypes.TimestampType)
            .add("warranty_months", DataTypes.IntegerType);
    static final StructType FAILURES = new StructType().add("serial_no", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType).add("warranty", DataTypes.BooleanType);

    static Timestamp t(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    /**
     * Cut-off 2025-06-01T00:00Z, a month in service = 30.4375 days, warranty 3 months. A (installed
     * 2025-01-01, 151 days) and B (2025-02-01, 120 days) reach the 3-month cap; C (2025-04-15, 47 days)
     * has completed 1 month; D (2025-05-20, 12 days) none. Units exposed in months 1, 2, 3: 3, 2, 2.
     * A's warranty claim on day 40 falls in its 2nd month; C's on day 40 lies beyond the month C has
     * completed, so it is not counted; B's non-warranty failure is not a claim.
     */
    @Test
    void exposureAndClaimsPerMonthInService() {
        var lives = SPARK.createDataFrame(List.of(
                RowFactory.create("A", "M", "2024-12", t("2025-01-01T00:00:00Z"), 3),
                RowFactory.create("B", "M", "2024-12", t("2025-02-01T00:00:00Z"), 3),
                RowFactory.create("C", "M", "2024-12", t("2025-04-15T00:00:00Z"), 3),
                RowFactory.create("D", "M", "2024-12", t("2025-05-20T00:00:00Z"), 3)), LIVES);
        var failures = SPARK.createDataFrame(List.of(
                RowFactory.create("A", t("2025-02-10T00:00:00Z"), true),
                RowFactory.create("C", t("2025-05-25T00:00:00Z"), true),
                RowFactory.create("B", t("2025-03-01T00:00:00Z"), false)), FAILURES);
        Map<Integer, long[]> got = new TreeMap<>();
        for (Row r : ReliabilityTransforms.warrantyMis(lives, failures, t("2025-06-01T00:00:00Z")).collectAsList()) {
            got.put(r.<Integer>getAs("months_in_service"), new long[] {r.<Long>getAs("units_exposed"), r.<Long>getAs("claims")});
        }
        assertEquals(List.of(1, 2, 3), List.copyOf(got.keySet()));
        assertEquals(List.of(3L, 0L), List.of(got.get(1)[0], got.get(1)[1]));
        assertEquals(List.of(2L, 1L), List.of(got.get(2)[0], got.get(2)[1]));
        assertEquals(List.of(2L, 0L), List.of(got.get(3)[0], got.get(3)[1]));
    }
}
