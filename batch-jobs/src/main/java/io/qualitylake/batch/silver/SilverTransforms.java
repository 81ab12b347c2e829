package io.qualitylake.batch.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.posexplode_outer;
import static org.apache.spark.sql.functions.to_date;

import io.qualitylake.schemas.BronzeColumns;
import io.qualitylake.schemas.Topic;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze rows → typed silver rows, one pure function per silver table (SPEC §3). Each output keeps
 * the event's time, its UTC date and the ingest time; keys are {@link SilverTable#keys()}.
 */
public final class SilverTransforms {
    private SilverTransforms() {}

    /** The Spark schema of a bronze table, from the shared column contract. */
    public static StructType bronzeSchema(Topic topic) {
        StructType s = new StructType();
        for (BronzeColumns.Column c : BronzeColumns.of(topic)) {
            s = s.add(c.name(), sparkType(c.type()), c.nullable());
        }
        return s;
    }

    private static DataType sparkType(BronzeColumns.Type t) {
        return switch (t) {
            case STRING -> DataTypes.StringType;
            case DOUBLE -> DataTypes.DoubleType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case BOOLEAN -> DataTypes.BooleanType;
            case TIMESTAMP_MICROS -> DataTypes.TimestampType;
            case COMPONENTS -> DataTypes.createArrayType(new StructType().add("component", DataTypes.StringType, false)
                    .add("supplier_id", DataTypes.StringType, false).add("lot_id", DataTypes.StringType, false));
        };
    }

    private static Dataset<Row> ofType(Dataset<Row> bronze, String type, List<String> columns) {
        Column[] cols = columns.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
        return bronze.filter(col("event_type").equalTo(type))
                .select(cols)
                .withColumn("event_date", to_date(col("event_time")));
    }

    public static Dataset<Row> productionUnits(Dataset<Row> bronze) {
        return ofType(bronze, "UNIT_COMPLETED", List.of("event_id", "serial_no", "plant_id", "line_id", "product_model",
                "batch_id", "shift", "result", "rework_count", "unit_value", "event_time", "ingest_time"));
    }

    /** One row per component of a unit; units without components have none here (traceability gaps). */
    public static Dataset<Row> unitComponents(Dataset<Row> bronze) {
        return bronze.filter(col("event_type").equalTo("UNIT_COMPLETED"))
                .select(col("event_id"), col("serial_no"), col("plant_id"), col("line_id"), col("product_model"),
                        col("event_time"), col("ingest_time"), posexplode_outer(col("components")).as(new String[] {"position", "c"}))
                .filter(col("c").isNotNull())
                .select(col("event_id"), col("position"), col("serial_no"), col("plant_id"), col("line_id"),
                        col("product_model"), col("c.component").as("component"), col("c.supplier_id").as("supplier_id"),
                        col("c.lot_id").as("lot_id"), col("event_time"), col("ingest_time"))
                .withColumn("event_date", to_date(col("event_time")));
    }

    public static Dataset<Row> measurements(Dataset<Row> bronze) {
        return ofType(bronze, "MEASUREMENT", List.of("event_id", "plant_id", "line_id", "station_id", "characteristic_id",
                "subgroup_id", "value", "lsl", "usl", "target", "collection", "serial_no", "event_time", "ingest_time"));
    }

    public static Dataset<Row> defects(Dataset<Row> bronze) {
        return ofType(bronze, "DEFECT", List.of("event_id", "serial_no", "plant_id", "line_id", "station_id", "defect_code",
                "severity", "disposition", "cost", "event_time", "ingest_time"));
    }

    public static Dataset<Row> spotChecks(Dataset<Row> bronze) {
        return ofType(bronze, "SPOT_CHECK", List.of("event_id", "plant_id", "product_model", "batch_id", "checker",
                "sample_size", "nonconforming", "passed", "event_time", "ingest_time"));
    }

    public static Dataset<Row> installs(Dataset<Row> bronze) {
        return ofType(bronze, "UNIT_INSTALLED", List.of("event_id", "serial_no", "plant_id", "product_model", "region",
                "event_time", "ingest_time"));
    }

    public static Dataset<Row> fieldFailures(Dataset<Row> bronze) {
        return ofType(bronze, "FIELD_FAILURE", List.of("event_id", "serial_no", "plant_id", "product_model", "failure_mode",
                "claim_cost", "warranty", "operating_hours", "event_time", "ingest_time"));
    }

    /** Within one batch, keep one row per key (bronze can hold the same event twice across ingest runs). */
    public static Dataset<Row> oneRowPerKey(Dataset<Row> rows, List<String> keys) {
        return rows.dropDuplicates(keys.toArray(String[]::new));
    }
}
