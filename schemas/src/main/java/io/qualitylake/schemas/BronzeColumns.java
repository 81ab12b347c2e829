package io.qualitylake.schemas;

import java.util.List;

/**
 * The column contract of the bronze Parquet tables (SPEC §3): every field of every event type of
 * the topic (absent fields null), the envelope, and lineage columns. The Flink writer derives its
 * Avro/Parquet schema from this list and the Spark silver job reads these names, so the two agree
 * through this one class. {@code event_date} and {@code plant_id} are also partition directories.
 */
public final class BronzeColumns {
    public enum Type { STRING, DOUBLE, INT, LONG, BOOLEAN, TIMESTAMP_MICROS, COMPONENTS }

    public record Column(String name, Type type, boolean nullable) {}

    private static Column req(String name, Type type) { return new Column(name, type, false); }

    private static Column opt(String name, Type type) { return new Column(name, type, true); }

    /** Envelope + lineage, first in both tables. */
    public static final List<Column> COMMON = List.of(
            req("event_id", Type.STRING), req("event_type", Type.STRING), req("schema", Type.STRING),
            req("event_time", Type.TIMESTAMP_MICROS), req("plant_id", Type.STRING),
            req("ingest_time", Type.TIMESTAMP_MICROS), req("source", Type.STRING),
            req("source_partition", Type.INT), req("source_offset", Type.LONG));

    private BronzeColumns() {}

    public static final List<Column> PRODUCTION = concat(COMMON, List.of(
            opt("serial_no", Type.STRING), opt("product_model", Type.STRING), opt("line_id", Type.STRING),
            opt("batch_id", Type.STRING), opt("shift", Type.STRING), opt("result", Type.STRING),
            opt("rework_count", Type.INT), opt("unit_value", Type.DOUBLE), opt("components", Type.COMPONENTS),
            opt("station_id", Type.STRING), opt("characteristic_id", Type.STRING), opt("subgroup_id", Type.STRING),
            opt("value", Type.DOUBLE), opt("lsl", Type.DOUBLE), opt("usl", Type.DOUBLE), opt("target", Type.DOUBLE),
            opt("collection", Type.STRING), opt("defect_code", Type.STRING), opt("severity", Type.STRING),
            opt("disposition", Type.STRING), opt("cost", Type.DOUBLE), opt("checker", Type.STRING),
            opt("sample_size", Type.INT), opt("nonconforming", Type.INT), opt("passed", Type.BOOLEAN)));

    public static final List<Column> FIELD = concat(COMMON, List.of(
            opt("serial_no", Type.STRING), opt("product_model", Type.STRING), opt("region", Type.STRING),
            opt("failure_mode", Type.STRING), opt("claim_cost", Type.DOUBLE), opt("warranty", Type.BOOLEAN),
            opt("operating_hours", Type.DOUBLE)));

    public static final List<Column> QUARANTINE = List.of(
            req("raw", Type.STRING), req("source", Type.STRING), req("source_partition", Type.INT),
            req("source_offset", Type.LONG), req("reason", Type.STRING), req("message", Type.STRING),
            req("ingest_time", Type.TIMESTAMP_MICROS));

    /** bronze/alerts (SPEC §3): one row per alert of the streaming SpcMonitorJob, as on qlake.alerts.v1. */
    public static final List<Column> ALERTS = List.of(
            req("alert_id", Type.STRING), req("plant_id", Type.STRING), req("line_id", Type.STRING),
            req("characteristic_id", Type.STRING), req("subgroup_id", Type.STRING),
            req("subgroup_time", Type.TIMESTAMP_MICROS), req("rule", Type.STRING), req("value", Type.DOUBLE),
            req("center", Type.DOUBLE), opt("lcl", Type.DOUBLE), opt("ucl", Type.DOUBLE), req("z", Type.DOUBLE),
            req("limits_source", Type.STRING), req("detected_at", Type.TIMESTAMP_MICROS));

    public static List<Column> of(Topic topic) {
        return switch (topic) {
            case PRODUCTION -> PRODUCTION;
            case FIELD -> FIELD;
            case QUARANTINE -> QUARANTINE;
            case ALERTS -> ALERTS;
            default -> throw new IllegalArgumentException("no bronze table for " + topic);
        };
    }

    private static List<Column> concat(List<Column> a, List<Column> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
