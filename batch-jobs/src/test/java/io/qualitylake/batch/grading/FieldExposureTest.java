package io.qualitylake.batch.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qualitylake.batch.job.Scope;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Field exposure per line-month (SPEC §4: unit-days in service, failures in the month they happened),
 * on a hand-computed case and against a unit-by-unit count written here in plain Java.
 */
class FieldExposureTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    static final StructType UNITS = new StructType().add("serial_no", DataTypes.StringType).add("plant_id", DataTypes.StringType)
            .add("line_id", DataTypes.StringType).add("product_model", DataTypes.StringType);
    static final StructType EVENTS = new StructType().add("serial_no", DataTypes.StringType).add("event_time", DataTypes.TimestampType);

    static Timestamp t(String iso) {
        return Timestamp.from(Instant.parse(iso));
    }

    static Map<String, double[]> byKey(Dataset<Row> exposure) {
        Map<String, double[]> out = new TreeMap<>();
        for (Row r : exposure.collectAsList()) {
            out.put(r.getAs("line_id") + " " + r.getAs("period"),
                    new double[] {r.<Double>getAs("unit_days"), r.<Long>getAs("failures")});
        }
        return out;
    }

    /**
     * Cut-off 2025-03-10T00:00Z. Unit A is installed 2025-01-15 12:00 on line L1: 16.5 days in
     * January, 28 in February, 9 in March; B on 2025-02-01 06:00: 27.75 + 9; E first on 2025-02-20
     * (its reinstall on 2025-03-01 does not restart it): 9 + 9; C on L2 at 2025-03-09 18:00: 0.25 days;
     * D is installed after the cut-off. L1: January 16.5, February 64.75 with A's failure, March 27;
     * L2: March 0.25 with C's failure (the failure after the cut-off is not counted).
     */
    @Test
    void unitDaysAndFailuresByHand() {
        Dataset<Row> units = SPARK.createDataFrame(List.of(RowFactory.create("A", "P1", "L1", "M"), RowFactory.create("B", "P1", "L1", "M"),
                RowFactory.create("E", "P1", "L1", "M"), RowFactory.create("C", "P1", "L2", "M"), RowFactory.create("D", "P1", "L2", "M")),
                UNITS);
        Dataset<Row> installs = SPARK.createDataFrame(List.of(RowFactory.create("A", t("2025-01-15T12:00:00Z")),
                RowFactory.create("B", t("2025-02-01T06:00:00Z")), RowFactory.create("E", t("2025-03-01T00:00:00Z")),
                RowFactory.create("E", t("2025-02-20T00:00:00Z")), RowFactory.create("C", t("2025-03-09T18:00:00Z")),
                RowFactory.create("D", t("2025-03-12T00:00:00Z"))), EVENTS);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("A", t("2025-02-10T00:00:00Z")),
                RowFactory.create("C", t("2025-03-09T20:00:00Z")), RowFactory.create("B", t("2025-03-11T00:00:00Z"))), EVENTS);
        Timestamp end = t("2025-03-10T00:00:00Z");

        Map<String, double[]> all = byKey(FieldExposure.lineMonths(units, installs, failures, end));
        assertEquals(Set.of("L1 2025-01", "L1 2025-02", "L1 2025-03", "L2 2025-03"), all.keySet());
        assertEquals(16.5, all.get("L1 2025-01")[0], 1e-12);
        assertEquals(0, all.get("L1 2025-01")[1]);
        assertEquals(64.75, all.get("L1 2025-02")[0], 1e-12);
        assertEquals(1, all.get("L1 2025-02")[1]);
        assertEquals(27.0, all.get("L1 2025-03")[0], 1e-12);
        assertEquals(0, all.get("L1 2025-03")[1]);
        assertEquals(0.25, all.get("L2 2025-03")[0], 1e-12);
        assertEquals(1, all.get("L2 2025-03")[1]);

        Map<String, double[]> march = byKey(FieldExposure.lineMonths(units, installs, failures, end,
                Scope.months(Set.of("2025-03"), "test")));
        assertEquals(Set.of("L1 2025-03", "L2 2025-03"), march.keySet());
        assertEquals(27.0, march.get("L1 2025-03")[0], 1e-12);
        assertEquals(0.25, march.get("L2 2025-03")[0], 1e-12);
    }

    /**
     * The case above from per-unit store rows (silver.unit_service: first install and building line),
     * written by hand: the same figures. X has an install but no production record (no building
     * plant), so no line and no exposure, as in the join above.
     */
    @Test
    void theUnitStoreGivesTheSameFigures() {
        StructType storeColumns = new StructType().add("serial_no", DataTypes.StringType).add("installed_at", DataTypes.TimestampType)
                .add("built_at", DataTypes.TimestampType).add("built_plant", DataTypes.StringType)
                .add("built_line", DataTypes.StringType).add("built_model", DataTypes.StringType);
        Timestamp built = t("2025-01-02T00:00:00Z");
        Dataset<Row> store = SPARK.createDataFrame(List.of(
                RowFactory.create("A", t("2025-01-15T12:00:00Z"), built, "P1", "L1", "M"),
                RowFactory.create("B", t("2025-02-01T06:00:00Z"), built, "P1", "L1", "M"),
                RowFactory.create("E", t("2025-02-20T00:00:00Z"), built, "P1", "L1", "M"),
                RowFactory.create("C", t("2025-03-09T18:00:00Z"), built, "P1", "L2", "M"),
                RowFactory.create("X", t("2025-01-20T00:00:00Z"), null, null, null, null)), storeColumns);
        Dataset<Row> units = SPARK.createDataFrame(List.of(RowFactory.create("A", "P1", "L1", "M"), RowFactory.create("B", "P1", "L1", "M"),
                RowFactory.create("E", "P1", "L1", "M"), RowFactory.create("C", "P1", "L2", "M"), RowFactory.create("D", "P1", "L2", "M")),
                UNITS);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("A", t("2025-02-10T00:00:00Z")),
                RowFactory.create("C", t("2025-03-09T20:00:00Z")), RowFactory.create("B", t("2025-03-11T00:00:00Z"))), EVENTS);
        Timestamp end = t("2025-03-10T00:00:00Z");

        Map<String, double[]> all = byKey(FieldExposure.fromUnitStore(store, units, failures, end, Scope.all("test")));
        assertEquals(Set.of("L1 2025-01", "L1 2025-02", "L1 2025-03", "L2 2025-03"), all.keySet());
        assertEquals(16.5, all.get("L1 2025-01")[0], 1e-12);
        assertEquals(64.75, all.get("L1 2025-02")[0], 1e-12);
        assertEquals(1, all.get("L1 2025-02")[1]);
        assertEquals(27.0, all.get("L1 2025-03")[0], 1e-12);
        assertEquals(0.25, all.get("L2 2025-03")[0], 1e-12);
        assertEquals(1, all.get("L2 2025-03")[1]);
    }

    /**
     * A unit with production records on two lines (L2 and L1) is one unit in the field: installed
     * 2025-01-15 12:00, cut-off 2025-02-01, it gives L1 (the smaller line) 16.5 days and its failure,
     * and L2 nothing; before, each record counted it once more.
     */
    @Test
    void aUnitWithTwoProductionRecordsCountsOnce() {
        Dataset<Row> units = SPARK.createDataFrame(List.of(RowFactory.create("A", "P1", "L2", "M"), RowFactory.create("A", "P1", "L1", "M")),
                UNITS);
        Dataset<Row> installs = SPARK.createDataFrame(List.of(RowFactory.create("A", t("2025-01-15T12:00:00Z"))), EVENTS);
        Dataset<Row> failures = SPARK.createDataFrame(List.of(RowFactory.create("A", t("2025-01-20T00:00:00Z"))), EVENTS);
        Map<String, double[]> got = byKey(FieldExposure.lineMonths(units, installs, failures, t("2025-02-01T00:00:00Z")));
        assertEquals(Set.of("L1 2025-01"), got.keySet());
        assertEquals(16.5, got.get("L1 2025-01")[0], 1e-12);
        assertEquals(1, got.get("L1 2025-01")[1]);
    }

    /**
     * 300 units on 3 lines installed at random seconds over 8 months, some twice: the unit-days of every
     * line-month equal a unit-by-unit count (each unit's whole seconds in the month, install to cut-off),
     * to 1e-9 relative (the only difference is summing seconds before or after dividing by 86,400).
     */
    @Test
    void matchesAUnitByUnitCount() {
        Random rnd = new Random(12);
        long from = Instant.parse("2024-11-01T00:00:00Z").getEpochSecond();
        Timestamp end = t("2025-06-17T00:00:00Z");
        List<Row> units = new ArrayList<>();
        List<Row> installs = new ArrayList<>();
        Map<String, Double> expected = new TreeMap<>();
        for (int i = 0; i < 300; i++) {
            String serial = "S" + i;
            String line = "L" + (i % 3);
            units.add(RowFactory.create(serial, "P1", line, "M"));
            long installed = from + (long) (rnd.nextDouble() * 240 * 86_400);
            installs.add(RowFactory.create(serial, Timestamp.from(Instant.ofEpochSecond(installed, rnd.nextInt(1_000_000_000)))));
            if (rnd.nextInt(5) == 0) {
                installs.add(RowFactory.create(serial, Timestamp.from(Instant.ofEpochSecond(installed + 86_400L * rnd.nextInt(30)))));
            }
            long cut = end.toInstant().getEpochSecond();
            if (installed >= cut) {
                continue;
            }
            YearMonth m = YearMonth.from(Instant.ofEpochSecond(installed).atZone(ZoneOffset.UTC));
            for (; m.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) < cut; m = m.plusMonths(1)) {
                long start = Math.max(installed, m.atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
                long stop = Math.min(cut, m.plusMonths(1).atDay(1).atStartOfDay().toEpochSecond(ZoneOffset.UTC));
                expected.merge(line + " " + m, (stop - start) / 86_400.0, Double::sum);
            }
        }
        Dataset<Row> failures = SPARK.createDataFrame(List.of(), EVENTS);
        Map<String, double[]> got = byKey(FieldExposure.lineMonths(SPARK.createDataFrame(units, UNITS),
                SPARK.createDataFrame(installs, EVENTS), failures, end));
        assertEquals(expected.keySet(), got.keySet());
        expected.forEach((k, v) -> assertEquals(v, got.get(k)[0], 1e-9 * v, k));
    }
}
