package io.qualitylake.batch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-unit store is refreshed incrementally and always equals the per-unit rows computed from all
 * events at the same cut-off (the oracle: {@link ReliabilityTransforms#unitRows} over the whole silver
 * tables, which the full path uses): late installs that change a unit's install time, failures and
 * installs ingested before a cut-off passes them, new units, an unchanged rerun, an earlier cut-off.
 */
class UnitStoreIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final StructType EVENTS = new StructType().add("event_id", DataTypes.StringType).add("serial_no", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType).add("event_date", DataTypes.DateType)
            .add("product_model", DataTypes.StringType).add("plant_id", DataTypes.StringType);
    static final StructType COMPONENTS = new StructType().add("event_id", DataTypes.StringType).add("serial_no", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType).add("event_date", DataTypes.DateType)
            .add("position", DataTypes.IntegerType).add("component", DataTypes.StringType)
            .add("lot_id", DataTypes.StringType).add("supplier_id", DataTypes.StringType);

    @TempDir
    Path dir;

    private static Row event(String id, String serial, String time) {
        Timestamp t = Timestamp.from(java.time.Instant.parse(time + "T06:00:00Z"));
        return RowFactory.create(id, serial, t, Date.valueOf(time), "M1", "P1");
    }

    private void append(SilverTable t, Row... rows) {
        SPARK.createDataFrame(List.of(rows), t == SilverTable.UNIT_COMPONENTS ? COMPONENTS : EVENTS).write().format("delta")
                .mode(SaveMode.Append).save(Lake.at(dir.toString()).silver(t.table()));
    }

    /** A unit_components record: the unit carries a part of {@code lot} from {@code supplier}. */
    private static Row part(String id, String serial, String time, int position, String component, String lot, String supplier) {
        Timestamp t = Timestamp.from(java.time.Instant.parse(time + "T06:00:00Z"));
        return RowFactory.create(id, serial, t, Date.valueOf(time), position, component, lot, supplier);
    }

    /** The store's lots per unit, as "serial:lot/supplier/component ..." ("serial:" without any). */
    private List<String> lots() {
        return SPARK.read().format("delta").load(Lake.at(dir.toString()).silver(UnitStore.TABLE)).orderBy("serial_no")
                .selectExpr("concat(serial_no, ':', concat_ws(' ', transform(lots, l -> "
                        + "concat_ws('/', l.lot_id, l.supplier_id, l.component))))")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    private JobContext ctx(String asOf) {
        return new JobContext(Lake.at(dir.toString()), LocalDate.parse(asOf), null, Map.of());
    }

    private void assertEqualsFullComputation(JobContext ctx, Dataset<Row> store) {
        Dataset<Row> full = ReliabilityTransforms.unitRows(SilverTable.INSTALLS.read(SPARK, ctx),
                SilverTable.FIELD_FAILURES.read(SPARK, ctx), SilverTable.PRODUCTION_UNITS.read(SPARK, ctx),
                SilverTable.UNIT_COMPONENTS.read(SPARK, ctx), ctx.end());
        List<Row> expected = full.orderBy("serial_no").collectAsList();
        List<Row> actual = store.select(full.columns()[0], java.util.Arrays.copyOfRange(full.columns(), 1, full.columns().length))
                .orderBy("serial_no").collectAsList();
        assertEquals(expected.toString(), actual.toString(), "store at " + ctx.asOf());
    }

    @Test
    void incrementalRefreshesEqualTheFullComputation() {
        append(SilverTable.PRODUCTION_UNITS, event("u1", "A", "2026-01-01"), event("u2", "B", "2026-01-02"),
                event("u3", "C", "2026-01-03"));
        append(SilverTable.INSTALLS, event("i1", "A", "2026-01-10"), event("i2", "B", "2026-01-20"),
                event("i3", "C", "2026-02-05"));
        // B fails before its (recorded) install: not counted until an earlier install arrives
        append(SilverTable.FIELD_FAILURES, event("f1", "A", "2026-01-25"), event("f2", "B", "2026-01-15"),
                event("f3", "A", "2026-02-10"));
        // A's capacitor lot recorded twice (a restated record): one lot on the unit
        append(SilverTable.UNIT_COMPONENTS, part("c1", "A", "2026-01-01", 1, "cap", "L1", "S1"),
                part("c1", "A", "2026-01-01", 2, "fan", "L2", "S2"), part("c2", "A", "2026-01-01", 1, "cap", "L1", "S1"),
                part("c3", "B", "2026-01-02", 1, "cap", "L3", "S1"));

        JobContext first = ctx("2026-01-31");
        assertEqualsFullComputation(first, UnitStore.refresh(SPARK, first));
        assertEquals("built", first.notes().get("unit_service"));

        // late data: an earlier install of B (its failure now counts), a new unit D; C's install and A's
        // second failure were ingested before but fall inside the new cut-off
        append(SilverTable.INSTALLS, event("i4", "B", "2026-01-12"), event("i5", "D", "2026-02-03"));
        append(SilverTable.PRODUCTION_UNITS, event("u4", "D", "2026-02-01"));
        append(SilverTable.UNIT_COMPONENTS, part("c6", "D", "2026-02-01", 1, "cap", "L4", "S3"));
        JobContext second = ctx("2026-02-14");
        assertEqualsFullComputation(second, UnitStore.refresh(SPARK, second));
        assertEquals("4 units refreshed", second.notes().get("unit_service"));
        // rows written: the MERGE's inserted (C, D) and updated (A, B) rows, not its inserts alone
        assertEquals(4L, second.rowsWritten().get("silver." + UnitStore.TABLE));

        long version = Tables.version(SPARK, Lake.at(dir.toString()).silver(UnitStore.TABLE));
        JobContext rerun = ctx("2026-02-14");
        assertEqualsFullComputation(rerun, UnitStore.refresh(SPARK, rerun));
        assertEquals("unchanged", rerun.notes().get("unit_service"));
        assertEquals(version, Tables.version(SPARK, Lake.at(dir.toString()).silver(UnitStore.TABLE)), "a rerun writes nothing");

        JobContext earlier = ctx("2026-02-04"); // a restatement: C's install (Feb 5) and A's Feb 10 failure drop out
        assertEqualsFullComputation(earlier, UnitStore.refresh(SPARK, earlier));
        assertTrue(earlier.notes().get("unit_service").startsWith("rebuilt"), earlier.notes().toString());

        append(SilverTable.FIELD_FAILURES, event("f4", "D", "2026-02-12"));
        // a late part record of B (its lots are read again), and parts of E, which is not installed (no row);
        // A and D are refreshed for other reasons and keep the lots the store holds
        append(SilverTable.UNIT_COMPONENTS, part("c4", "B", "2026-01-02", 2, "fan", "L2", "S2"),
                part("c5", "E", "2026-02-15", 1, "cap", "L3", "S1"));
        JobContext later = ctx("2026-02-20");
        assertEqualsFullComputation(later, UnitStore.refresh(SPARK, later));
        assertEquals("5 units refreshed", later.notes().get("unit_service"),
                "C, A (window), D (new failure), B (a late part) and E (parts, not installed)");
        assertEquals(4L, later.rowsWritten().get("silver." + UnitStore.TABLE), "four rows updated, none inserted");
        assertEquals(List.of("A:L1/S1/cap L2/S2/fan", "B:L2/S2/fan L3/S1/cap", "C:", "D:L4/S3/cap"), lots());
    }

    /**
     * A store written before a column was added (here built_plant, which the supplier job reads instead
     * of scanning all production units) is rebuilt once, then refreshed incrementally again. Unit B
     * was built at P2 and installed at P1: its building plant is P2.
     */
    @Test
    void aStoreWithoutANewColumnIsRebuiltOnce() {
        append(SilverTable.PRODUCTION_UNITS, event("u1", "A", "2026-01-01"),
                RowFactory.create("u2", "B", Timestamp.from(java.time.Instant.parse("2026-01-02T06:00:00Z")),
                        Date.valueOf("2026-01-02"), "M1", "P2"));
        append(SilverTable.INSTALLS, event("i1", "A", "2026-01-10"), event("i2", "B", "2026-01-20"));
        JobContext first = ctx("2026-01-31");
        assertEqualsFullComputation(first, UnitStore.refresh(SPARK, first));
        String path = Lake.at(dir.toString()).silver(UnitStore.TABLE);
        assertEquals(List.of("A P1", "B P2"), SPARK.read().format("delta").load(path).orderBy("serial_no")
                .selectExpr("concat(serial_no, ' ', built_plant)").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

        // the same rows and state as an older release wrote them: no built_plant
        String state = io.delta.tables.DeltaTable.forPath(SPARK, path).history(1).select("userMetadata").head().getString(0);
        SPARK.read().format("delta").load(path).drop("built_plant").localCheckpoint().write().format("delta")
                .mode(SaveMode.Overwrite).option("overwriteSchema", "true").option("userMetadata", state).save(path);

        JobContext rerun = ctx("2026-01-31");
        assertEqualsFullComputation(rerun, UnitStore.refresh(SPARK, rerun));
        assertEquals("rebuilt (new columns)", rerun.notes().get("unit_service"));
        JobContext again = ctx("2026-01-31");
        UnitStore.refresh(SPARK, again);
        assertEquals("unchanged", again.notes().get("unit_service"));

        // VACUUM logs START and END commits on the store and its sources; they change no row, so the
        // state is found behind them and nothing is refreshed (it was rebuilt after every vacuum)
        for (String t : List.of(UnitStore.TABLE, SilverTable.INSTALLS.table(), SilverTable.PRODUCTION_UNITS.table())) {
            io.delta.tables.DeltaTable.forPath(SPARK, Lake.at(dir.toString()).silver(t)).vacuum();
        }
        JobContext afterVacuum = ctx("2026-01-31");
        assertEqualsFullComputation(afterVacuum, UnitStore.refresh(SPARK, afterVacuum));
        assertEquals("unchanged", afterVacuum.notes().get("unit_service"));
    }
}
