package io.qualitylake.batch.testkit;

import io.qualitylake.schemas.BronzeColumns;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** bronze/alerts rows as the Flink SpcMonitorJob writes them (SPEC §3 columns), for tests of the lake's readers. */
public final class AlertsFixture {
    private AlertsFixture() {}

    public static StructType schema() {
        StructType schema = new StructType();
        for (BronzeColumns.Column c : BronzeColumns.ALERTS) {
            schema = schema.add(c.name(), switch (c.type()) {
                case STRING -> DataTypes.StringType;
                case DOUBLE -> DataTypes.DoubleType;
                case TIMESTAMP_MICROS -> DataTypes.TimestampType;
                default -> throw new IllegalStateException(c.toString());
            }, c.nullable());
        }
        return schema;
    }

    /** One alert row, columns in {@link BronzeColumns#ALERTS} order. */
    public static Row row(String alertId, String plant, String line, String characteristic, String subgroup, Timestamp subgroupTime,
                          String rule, double value, double center, Double lcl, Double ucl, double z, String limitsSource,
                          Timestamp detectedAt) {
        return RowFactory.create(alertId, plant, line, characteristic, subgroup, subgroupTime, rule, value, center, lcl, ucl, z,
                limitsSource, detectedAt);
    }

    /** Writes the rows as one Parquet file under {@code <lake>/bronze/alerts/event_date=<eventDate>/}. */
    public static void write(SparkSession spark, Path lake, String eventDate, List<Row> rows) {
        spark.createDataFrame(rows, schema()).coalesce(1).write()
                .parquet(lake.resolve("bronze/alerts/event_date=" + eventDate).toString());
    }
}
