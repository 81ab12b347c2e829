package io.qualitylake.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.AlertsFixture;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bronze/alerts (written by the Flink SpcMonitorJob) is bronze.alerts in qlake sql, its event_date partitions discovered. */
class LakeCatalogAlertsTest {
    @TempDir
    Path tmp;

    @Test
    void alertsParquetIsQueryableByItsSpecName() throws Exception {
        SparkSession spark = BatchTestSupport.spark();
        Timestamp t = Timestamp.valueOf("2026-03-01 08:00:00");
        List<Row> rows = List.of(
                AlertsFixture.row("a1", "P01", "L01", "C1", "S1", t, "NELSON_1", 14.0, 10.0, 7.0, 13.0, 4.0, "BATCH", t),
                AlertsFixture.row("a2", "P01", "L01", "C1", "S1", t, "CUSUM_UP", 5.0, 10.0, null, 4.0, 5.0, "BATCH", t));
        AlertsFixture.write(spark, tmp.resolve("lake"), "2026-03-01", rows);
        Files.writeString(tmp.resolve("lake/bronze/alerts/event_date=2026-03-01/.part-inprogress.parquet"), "not parquet");
        List<LakeCatalog.Registered> registered = LakeCatalog.register(spark, Lake.at(tmp.resolve("lake").toString()));
        assertTrue(registered.stream().anyMatch(r -> r.name().equals("bronze.alerts")), registered.toString());
        List<Row> out = spark.sql("SELECT rule, event_date, lcl FROM bronze.alerts ORDER BY rule").collectAsList();
        assertEquals(2, out.size(), "the hidden in-progress file is skipped");
        assertEquals("CUSUM_UP", out.get(0).getString(0));
        assertEquals("2026-03-01", out.get(0).get(1).toString());
        assertTrue(out.get(0).isNullAt(2));
    }
}
