package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.BronzeColumns;
import io.qualitylake.schemas.BronzeColumns.Column;
import io.qualitylake.schemas.Component;
import io.qualitylake.schemas.Defect;
import io.qualitylake.schemas.FieldFailure;
import io.qualitylake.schemas.Measurement;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.QuarantineRecord;
import io.qualitylake.schemas.SpotCheck;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.UnitCompleted;
import io.qualitylake.schemas.UnitInstalled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Bronze rows as Avro records (written to Parquet by the FileSink). The Avro schemas are derived
 * from {@link BronzeColumns}, the contract the Spark side reads, so the two cannot drift apart.
 */
public final class BronzeAvro {
    public static final Schema PRODUCTION = schema("bronze_production", BronzeColumns.PRODUCTION);
    public static final Schema FIELD = schema("bronze_field", BronzeColumns.FIELD);
    public static final Schema QUARANTINE = schema("bronze_quarantine", BronzeColumns.QUARANTINE);

    private BronzeAvro() {}

    public static Schema of(Topic topic) {
        return switch (topic) {
            case PRODUCTION -> PRODUCTION;
            case FIELD -> FIELD;
            case QUARANTINE -> QUARANTINE;
            default -> throw new IllegalArgumentException(topic.toString());
        };
    }

    private static Schema schema(String name, List<Column> columns) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Column c : columns) {
            Schema t = switch (c.type()) {
                case STRING -> Schema.create(Schema.Type.STRING);
                case DOUBLE -> Schema.create(Schema.Type.DOUBLE);
                case INT -> Schema.create(Schema.Type.INT);
                case LONG -> Schema.create(Schema.Type.LONG);
                case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
                case TIMESTAMP_MICROS -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
                case COMPONENTS -> Schema.createArray(component());
            };
            if (c.nullable()) {
                fields.add(new Schema.Field(c.name(), Schema.createUnion(Schema.create(Schema.Type.NULL), t), null,
                        Schema.Field.NULL_DEFAULT_VALUE));
            } else {
                fields.add(new Schema.Field(c.name(), t));
            }
        }
        return Schema.createRecord(name, "QualityLake bronze table", "io.qualitylake.bronze", false, fields);
    }

    private static Schema component() {
        return SchemaBuilder.record("component").namespace("io.qualitylake.bronze").fields()
                .requiredString("component").requiredString("supplier_id").requiredString("lot_id").endRecord();
    }

    public static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    /** One valid event as a bronze row of its topic's table, with lineage. */
    public static GenericRecord row(QualityEvent e, long ingestMicros, String source, int partition, long offset) {
        Schema schema = of(e.topic());
        GenericData.Record r = new GenericData.Record(schema);
        r.put("event_id", e.eventId());
        r.put("event_type", e.eventType().name());
        r.put("schema", e.schema());
        r.put("event_time", micros(e.eventTime()));
        r.put("plant_id", e.plantId());
        r.put("ingest_time", ingestMicros);
        r.put("source", source);
        r.put("source_partition", partition);
        r.put("source_offset", offset);
        if (e instanceof UnitCompleted u) {
            r.put("serial_no", u.serialNo());
            r.put("product_model", u.productModel());
            r.put("line_id", u.lineId());
            r.put("batch_id", u.batchId());
            r.put("shift", u.shift());
            r.put("result", u.result());
            r.put("rework_count", u.reworkCount());
            r.put("unit_value", u.unitValue());
            Schema cs = schema.getField("components").schema().getTypes().get(1).getElementType();
            List<GenericRecord> comps = new ArrayList<>(u.components().size());
            for (Component c : u.components()) {
                GenericData.Record cr = new GenericData.Record(cs);
                cr.put("component", c.component());
                cr.put("supplier_id", c.supplierId());
                cr.put("lot_id", c.lotId());
                comps.add(cr);
            }
            r.put("components", comps);
        } else if (e instanceof Measurement m) {
            r.put("line_id", m.lineId());
            r.put("station_id", m.stationId());
            r.put("characteristic_id", m.characteristicId());
            r.put("subgroup_id", m.subgroupId());
            r.put("value", m.value());
            r.put("lsl", m.lsl());
            r.put("usl", m.usl());
            r.put("target", m.target());
            r.put("collection", m.collection());
            r.put("serial_no", m.serialNo());
        } else if (e instanceof Defect d) {
            r.put("serial_no", d.serialNo());
            r.put("line_id", d.lineId());
            r.put("station_id", d.stationId());
            r.put("defect_code", d.defectCode());
            r.put("severity", d.severity());
            r.put("disposition", d.disposition());
            r.put("cost", d.cost());
        } else if (e instanceof SpotCheck s) {
            r.put("product_model", s.productModel());
            r.put("batch_id", s.batchId());
            r.put("checker", s.checker());
            r.put("sample_size", s.sampleSize());
            r.put("nonconforming", s.nonconforming());
            r.put("passed", s.passed());
        } else if (e instanceof UnitInstalled i) {
            r.put("serial_no", i.serialNo());
            r.put("product_model", i.productModel());
            r.put("region", i.region());
        } else if (e instanceof FieldFailure f) {
            r.put("serial_no", f.serialNo());
            r.put("product_model", f.productModel());
            r.put("failure_mode", f.failureMode());
            r.put("claim_cost", f.claimCost());
            r.put("warranty", f.warranty());
            r.put("operating_hours", f.operatingHours());
        }
        return r;
    }

    public static GenericRecord quarantine(QuarantineRecord q) {
        GenericData.Record r = new GenericData.Record(QUARANTINE);
        r.put("raw", q.raw());
        r.put("source", q.source());
        r.put("source_partition", q.sourcePartition());
        r.put("source_offset", q.sourceOffset());
        r.put("reason", q.reason().name());
        r.put("message", q.message());
        r.put("ingest_time", micros(q.ingestTime()));
        return r;
    }
}
