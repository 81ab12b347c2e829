package io.qualitylake.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.schemas.BronzeColumns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bronze/alerts (written by the Flink SpcMonitorJob) is bronze.alerts in qlake sql, its event_date partitions discovered. */
class LakeCatalogAlertsTest {
    @TempDir
    Path tmp;

    @Test
    void alertsParquetIsQueryableByItsSpecName() throws Exception {
        SparkSession spark = BatchTestSupport.spark();
        StructType schema = new StructType();
        for (BronzeColumns.Column c : BronzeColumns.ALERTS) {
            schema = schema.add(c.name(), switch (c.type()) {
                case STRING -> DataTypes.StringType;
                case DOUBLE -> DataTypes.DoubleType;
                case TIMESTAMP_MICROS -> DataTypes.TimestampType;
                default -> throw new IllegalStateException(c.toString());
            }, c.nullable());
        }
        Timestamp t = Timestamp.valueOf("2026-03-01 08:00:00");
        List<Row> rows = List.of(
                RowFactory.create("a1", "P01", "L01", "C1", "S1", t, "NELSON_1", 14.0, 10.0, 7.0, 13.0, 4.0, "BATCH", t),
                RowFactory.create("a2", "P01", "L01", "C1", "S1", t, "CUSUM_UP", 5.0, 10.0, null, 4.0, 5.0, "BATCH", t));
        Path table = tmp.resolve("lake/bronze/alerts/event_date=2026-03-01");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
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
