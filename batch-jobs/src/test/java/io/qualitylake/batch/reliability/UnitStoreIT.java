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

    @TempDir
    Path dir;

    private static Row event(String id, String serial, String time) {
        Timestamp t = Timestamp.from(java.time.Instant.parse(time + "T06:00:00Z"));
        return RowFactory.create(id, serial, t, Date.valueOf(time), "M1", "P1");
    }

    private void append(SilverTable t, Row... rows) {
        SPARK.createDataFrame(List.of(rows), EVENTS).write().format("delta").mode(SaveMode.Append)
                .save(Lake.at(dir.toString()).silver(t.table()));
    }

    private JobContext ctx(String asOf) {
        return new JobContext(Lake.at(dir.toString()), LocalDate.parse(asOf), null, Map.of());
    }

    private void assertEqualsFullComputation(JobContext ctx, Dataset<Row> store) {
        Dataset<Row> full = ReliabilityTransforms.unitRows(SilverTable.INSTALLS.read(SPARK, ctx),
                SilverTable.FIELD_FAILURES.read(SPARK, ctx), SilverTable.PRODUCTION_UNITS.read(SPARK, ctx), ctx.end());
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

        JobContext first = ctx("2026-01-31");
        assertEqualsFullComputation(first, UnitStore.refresh(SPARK, first));
        assertEquals("built", first.notes().get("unit_service"));

        // late data: an earlier install of B (its failure now counts), a new unit D; C's install and A's
        // second failure were ingested before but fall inside the new cut-off
        append(SilverTable.INSTALLS, event("i4", "B", "2026-01-12"), event("i5", "D", "2026-02-03"));
        append(SilverTable.PRODUCTION_UNITS, event("u4", "D", "2026-02-01"));
        JobContext second = ctx("2026-02-14");
        assertEqualsFullComputation(second, UnitStore.refresh(SPARK, second));
        assertEquals("4 units refreshed", second.notes().get("unit_service"));

        long version = Tables.version(SPARK, Lake.at(dir.toString()).silver(UnitStore.TABLE));
        JobContext rerun = ctx("2026-02-14");
        assertEqualsFullComputation(rerun, UnitStore.refresh(SPARK, rerun));
        assertEquals("unchanged", rerun.notes().get("unit_service"));
        assertEquals(version, Tables.version(SPARK, Lake.at(dir.toString()).silver(UnitStore.TABLE)), "a rerun writes nothing");

        JobContext earlier = ctx("2026-02-04"); // a restatement: C's install (Feb 5) and A's Feb 10 failure drop out
        assertEqualsFullComputation(earlier, UnitStore.refresh(SPARK, earlier));
        assertTrue(earlier.notes().get("unit_service").startsWith("rebuilt"), earlier.notes().toString());

        append(SilverTable.FIELD_FAILURES, event("f4", "D", "2026-02-12"));
        JobContext later = ctx("2026-02-20");
        assertEqualsFullComputation(later, UnitStore.refresh(SPARK, later));
        assertEquals("3 units refreshed", later.notes().get("unit_service"), "C, A (window) and D (new failure)");
    }
}
