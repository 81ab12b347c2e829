package io.qualitylake.batch.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qualitylake.batch.grading.MonthlyRates;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Lake;
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
 * The per-day measurement counts are refreshed from the change feed (late measurements of an old day
 * recount that day) and cut at the run's as_of; the expected counts are counted by hand from the rows
 * written below.
 */
class MeasurementCountsIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final StructType MEASUREMENTS = new StructType().add("event_id", DataTypes.StringType)
            .add("event_time", DataTypes.TimestampType).add("event_date", DataTypes.DateType)
            .add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType).add("collection", DataTypes.StringType);

    @TempDir
    Path dir;

    private static Row m(String id, String day, String line, String collection) {
        return RowFactory.create(id, Timestamp.from(java.time.Instant.parse(day + "T08:00:00Z")), Date.valueOf(day), "P1", line,
                collection);
    }

    private void append(Row... rows) {
        SPARK.createDataFrame(List.of(rows), MEASUREMENTS).write().format("delta").mode(SaveMode.Append)
                .save(Lake.at(dir.toString()).silver(SilverTable.MEASUREMENTS.table()));
    }

    private JobContext ctx(String asOf) {
        return new JobContext(Lake.at(dir.toString()), LocalDate.parse(asOf), null, Map.of());
    }

    private static String rows(Dataset<Row> counts) {
        return counts.orderBy("line_id", "event_date").collectAsList().stream()
                .map(r -> r.getAs("line_id") + " " + r.getAs("event_date") + " " + r.getAs("measurements") + "/" + r.getAs("auto_measurements"))
                .toList().toString();
    }

    @Test
    void lateMeasurementsRecountTheirDayAndTheCutOffHolds() {
        append(m("a", "2026-01-10", "L1", "AUTO"), m("b", "2026-01-10", "L1", "AUTO"), m("c", "2026-01-10", "L1", "MANUAL"),
                m("d", "2026-01-11", "L1", "MANUAL"), m("e", "2026-01-11", "L2", "AUTO"));
        JobContext first = ctx("2026-01-31");
        assertEquals("[L1 2026-01-10 3/2, L1 2026-01-11 1/0, L2 2026-01-11 1/1]", rows(MeasurementCounts.refresh(SPARK, first)));
        assertEquals("built", first.notes().get("measurement_counts"));

        // a late MANUAL measurement of Jan 10 and two of February
        append(m("f", "2026-01-10", "L1", "MANUAL"), m("g", "2026-02-01", "L1", "AUTO"), m("h", "2026-02-02", "L2", "MANUAL"));
        JobContext second = ctx("2026-02-01");
        // Feb 2 is after the cut-off: counted in the store, not returned
        assertEquals("[L1 2026-01-10 4/2, L1 2026-01-11 1/0, L1 2026-02-01 1/1, L2 2026-01-11 1/1]",
                rows(MeasurementCounts.refresh(SPARK, second)));
        assertEquals("3 days recounted", second.notes().get("measurement_counts"));

        JobContext rerun = ctx("2026-02-28");
        Dataset<Row> all = MeasurementCounts.refresh(SPARK, rerun);
        assertEquals("unchanged", rerun.notes().get("measurement_counts"));
        // every day, counted by hand from the eight rows written above
        assertEquals("[L1 2026-01-10 4/2, L1 2026-01-11 1/0, L1 2026-02-01 1/1, L2 2026-01-11 1/1, L2 2026-02-02 1/0]", rows(all));

        // the auto-collection rate per plant and month from the counts: January 3 AUTO of 6, February 1 of 2
        List<Row> rates = MonthlyRates.autoCollectionRateAndCount(all, "plant_id", "period").orderBy("period").collectAsList();
        assertEquals(2, rates.size());
        assertEquals(0.5, rates.get(0).<Double>getAs("auto_collection_rate"), 1e-15);
        assertEquals(6L, rates.get(0).<Long>getAs("measurements_n"));
        assertEquals(0.5, rates.get(1).<Double>getAs("auto_collection_rate"), 1e-15);
        assertEquals(2L, rates.get(1).<Long>getAs("measurements_n"));
    }
}
