package io.qualitylake.batch.reference;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The reference dimensions of SPEC §2 with their columns, rules and documented defaults. */
public enum Dimension {
    ENTERPRISES("enterprises", List.of(id("enterprise_id", true), text("name", true), id("cluster_id", true), text("region", false))),
    PLANTS("plants", List.of(id("plant_id", true), id("enterprise_id", true), text("name", false))),
    LINES("lines", List.of(id("line_id", true), id("plant_id", true), text("process", false))),
    PRODUCTS("products", List.of(id("product_model", true), id("family", false), integer("warranty_months", 1, 600),
            integer("opportunities_per_unit", 1, 1_000_000), number("duty_hours_per_day", 0.001, 24))),
    CHARACTERISTICS("characteristics", List.of(id("characteristic_id", true), id("product_model", false), id("station_id", false),
            number("lsl", -Double.MAX_VALUE, Double.MAX_VALUE), number("usl", -Double.MAX_VALUE, Double.MAX_VALUE),
            number("target", -Double.MAX_VALUE, Double.MAX_VALUE), bool("critical"))),
    SUPPLIERS("suppliers", List.of(id("supplier_id", true), text("name", false)));

    /** Documented defaults for facts whose dimension row is missing (SPEC §2). */
    public static final double DEFAULT_DUTY_HOURS = 24;
    public static final int DEFAULT_WARRANTY_MONTHS = 24;
    public static final int DEFAULT_OPPORTUNITIES = 1;

    public enum Kind { ID, TEXT, INT, NUMBER, BOOL }

    public record Column(String name, Kind kind, boolean required, double min, double max) {
        DataType sparkType() {
            return switch (kind) {
                case ID, TEXT -> DataTypes.StringType;
                case INT -> DataTypes.IntegerType;
                case NUMBER -> DataTypes.DoubleType;
                case BOOL -> DataTypes.BooleanType;
            };
        }
    }

    private final String fileName;
    private final List<Column> columns;

    Dimension(String fileName, List<Column> columns) {
        this.fileName = fileName;
        this.columns = columns;
    }

    public String fileName() { return fileName; }

    public String table() { return "dim_" + fileName; }

    public List<Column> columns() { return columns; }

    public String key() { return columns.get(0).name(); }

    /** The silver dimension table as a job reads it (version recorded), or an empty frame when not loaded. */
    public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> read(org.apache.spark.sql.SparkSession spark,
                                                                       io.qualitylake.batch.job.JobContext ctx) {
        return io.qualitylake.batch.job.Tables.read(spark, ctx, "silver." + table(), ctx.lake().silver(table()), schema());
    }

    public StructType schema() {
        return new StructType(columns.stream().map(c -> new StructField(c.name(), c.sparkType(), !c.required(),
                org.apache.spark.sql.types.Metadata.empty())).toArray(StructField[]::new));
    }

    private static Column id(String n, boolean req) { return new Column(n, Kind.ID, req, 0, 0); }

    private static Column text(String n, boolean req) { return new Column(n, Kind.TEXT, req, 0, 0); }

    private static Column integer(String n, double min, double max) { return new Column(n, Kind.INT, false, min, max); }

    private static Column number(String n, double min, double max) { return new Column(n, Kind.NUMBER, false, min, max); }

    private static Column bool(String n) { return new Column(n, Kind.BOOL, false, 0, 0); }
}
