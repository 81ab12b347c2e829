package io.qualitylake.batch.silver;

import io.qualitylake.schemas.Topic;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The silver event tables: source bronze table, transform and merge key. */
public enum SilverTable {
    PRODUCTION_UNITS("production_units", Topic.PRODUCTION, SilverTransforms::productionUnits, List.of("event_id")),
    UNIT_COMPONENTS("unit_components", Topic.PRODUCTION, SilverTransforms::unitComponents, List.of("event_id", "position")),
    MEASUREMENTS("measurements", Topic.PRODUCTION, SilverTransforms::measurements, List.of("event_id")),
    DEFECTS("defects", Topic.PRODUCTION, SilverTransforms::defects, List.of("event_id")),
    SPOT_CHECKS("spot_checks", Topic.PRODUCTION, SilverTransforms::spotChecks, List.of("event_id")),
    INSTALLS("installs", Topic.FIELD, SilverTransforms::installs, List.of("event_id")),
    FIELD_FAILURES("field_failures", Topic.FIELD, SilverTransforms::fieldFailures, List.of("event_id"));

    private final String table;
    private final Topic source;
    private final UnaryOperator<Dataset<Row>> transform;
    private final List<String> keys;

    SilverTable(String table, Topic source, UnaryOperator<Dataset<Row>> transform, List<String> keys) {
        this.table = table;
        this.source = source;
        this.transform = transform;
        this.keys = keys;
    }

    public String table() { return table; }

    public Topic source() { return source; }

    public List<String> keys() { return keys; }

    public Dataset<Row> from(Dataset<Row> bronze) {
        return transform.apply(bronze);
    }

    /** The table as a job reads it (version recorded), or an empty frame of its schema if it does not exist yet. */
    public Dataset<Row> read(org.apache.spark.sql.SparkSession spark, io.qualitylake.batch.job.JobContext ctx) {
        return io.qualitylake.batch.job.Tables.read(spark, ctx, "silver." + table, ctx.lake().silver(table),
                from(spark.createDataFrame(List.of(), SilverTransforms.bronzeSchema(source))).schema());
    }
}
