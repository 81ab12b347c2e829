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
    public static final Schema ALERTS = schema("bronze_alerts", BronzeColumns.ALERTS);

    private BronzeAvro() {}

    public static Schema of(Topic topic) {
        return switch (topic) {
            case PRODUCTION -> PRODUCTION;
            case FIELD -> FIELD;
            case QUARANTINE -> QUARANTINE;
            case ALERTS -> ALERTS;
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

    /** Positions of the envelope and lineage columns, first and the same in both event tables. */
    public static final int EVENT_ID = 0, EVENT_TYPE = 1, SCHEMA = 2, EVENT_TIME = 3, PLANT_ID = 4, INGEST_TIME = 5,
            SOURCE = 6, SOURCE_PARTITION = 7, SOURCE_OFFSET = 8;

    static {
        List<String> common = List.of("event_id", "event_type", "schema", "event_time", "plant_id", "ingest_time",
                "source", "source_partition", "source_offset");
        for (Schema s : List.of(PRODUCTION, FIELD)) {
            for (int i = 0; i < common.size(); i++) {
                if (!s.getFields().get(i).name().equals(common.get(i))) {
                    throw new IllegalStateException("bronze column " + i + " of " + s.getName() + " is not " + common.get(i));
                }
            }
        }
        List<String> component = List.of("component", "supplier_id", "lot_id");
        for (int i = 0; i < component.size(); i++) {
            if (!P.COMPONENT.getFields().get(i).name().equals(component.get(i))) {
                throw new IllegalStateException("component field " + i + " is not " + component.get(i));
            }
        }
    }

    private static int pos(Schema s, String column) {
        return s.getField(column).pos();
    }

    /** Positions in bronze production rows (set by index: a put by name is a map lookup per value). */
    private static final class P {
        static final int SERIAL_NO = pos(PRODUCTION, "serial_no"),
                PRODUCT_MODEL = pos(PRODUCTION, "product_model"),
                LINE_ID = pos(PRODUCTION, "line_id"),
                BATCH_ID = pos(PRODUCTION, "batch_id"),
                SHIFT = pos(PRODUCTION, "shift"),
                RESULT = pos(PRODUCTION, "result"),
                REWORK_COUNT = pos(PRODUCTION, "rework_count"),
                UNIT_VALUE = pos(PRODUCTION, "unit_value"),
                COMPONENTS = pos(PRODUCTION, "components"),
                STATION_ID = pos(PRODUCTION, "station_id"),
                CHARACTERISTIC_ID = pos(PRODUCTION, "characteristic_id"),
                SUBGROUP_ID = pos(PRODUCTION, "subgroup_id"),
                VALUE = pos(PRODUCTION, "value"),
                LSL = pos(PRODUCTION, "lsl"),
                USL = pos(PRODUCTION, "usl"),
                TARGET = pos(PRODUCTION, "target"),
                COLLECTION = pos(PRODUCTION, "collection"),
                DEFECT_CODE = pos(PRODUCTION, "defect_code"),
                SEVERITY = pos(PRODUCTION, "severity"),
                DISPOSITION = pos(PRODUCTION, "disposition"),
                COST = pos(PRODUCTION, "cost"),
                CHECKER = pos(PRODUCTION, "checker"),
                SAMPLE_SIZE = pos(PRODUCTION, "sample_size"),
                NONCONFORMING = pos(PRODUCTION, "nonconforming"),
                PASSED = pos(PRODUCTION, "passed");
        static final Schema COMPONENT = PRODUCTION.getField("components").schema().getTypes().get(1).getElementType();
    }

    /** Positions in bronze field rows. */
    private static final class F {
        static final int SERIAL_NO = pos(FIELD, "serial_no"),
                PRODUCT_MODEL = pos(FIELD, "product_model"),
                REGION = pos(FIELD, "region"),
                FAILURE_MODE = pos(FIELD, "failure_mode"),
                CLAIM_COST = pos(FIELD, "claim_cost"),
                WARRANTY = pos(FIELD, "warranty"),
                OPERATING_HOURS = pos(FIELD, "operating_hours");
    }

    /** One valid event as a bronze row of its topic's table, with lineage. */
    public static GenericRecord row(QualityEvent e, long ingestMicros, String source, int partition, long offset) {
        Schema schema = of(e.topic());
        GenericData.Record r = new GenericData.Record(schema);
        r.put(EVENT_ID, e.eventId());
        r.put(EVENT_TYPE, e.eventType().name());
        r.put(SCHEMA, e.schema());
        r.put(EVENT_TIME, micros(e.eventTime()));
        r.put(PLANT_ID, e.plantId());
        r.put(INGEST_TIME, ingestMicros);
        r.put(SOURCE, source);
        r.put(SOURCE_PARTITION, partition);
        r.put(SOURCE_OFFSET, offset);
        if (e instanceof UnitCompleted u) {
            r.put(P.SERIAL_NO, u.serialNo());
            r.put(P.PRODUCT_MODEL, u.productModel());
            r.put(P.LINE_ID, u.lineId());
            r.put(P.BATCH_ID, u.batchId());
            r.put(P.SHIFT, u.shift());
            r.put(P.RESULT, u.result());
            r.put(P.REWORK_COUNT, u.reworkCount());
            r.put(P.UNIT_VALUE, u.unitValue());
            Schema cs = P.COMPONENT;
            List<GenericRecord> comps = new ArrayList<>(u.components().size());
            for (Component c : u.components()) {
                GenericData.Record cr = new GenericData.Record(cs);
                cr.put(0, c.component());
                cr.put(1, c.supplierId());
                cr.put(2, c.lotId());
                comps.add(cr);
            }
            r.put(P.COMPONENTS, comps);
        } else if (e instanceof Measurement m) {
            r.put(P.LINE_ID, m.lineId());
            r.put(P.STATION_ID, m.stationId());
            r.put(P.CHARACTERISTIC_ID, m.characteristicId());
            r.put(P.SUBGROUP_ID, m.subgroupId());
            r.put(P.VALUE, m.value());
            r.put(P.LSL, m.lsl());
            r.put(P.USL, m.usl());
            r.put(P.TARGET, m.target());
            r.put(P.COLLECTION, m.collection());
            r.put(P.SERIAL_NO, m.serialNo());
        } else if (e instanceof Defect d) {
            r.put(P.SERIAL_NO, d.serialNo());
            r.put(P.LINE_ID, d.lineId());
            r.put(P.STATION_ID, d.stationId());
            r.put(P.DEFECT_CODE, d.defectCode());
            r.put(P.SEVERITY, d.severity());
            r.put(P.DISPOSITION, d.disposition());
            r.put(P.COST, d.cost());
        } else if (e instanceof SpotCheck s) {
            r.put(P.PRODUCT_MODEL, s.productModel());
            r.put(P.BATCH_ID, s.batchId());
            r.put(P.CHECKER, s.checker());
            r.put(P.SAMPLE_SIZE, s.sampleSize());
            r.put(P.NONCONFORMING, s.nonconforming());
            r.put(P.PASSED, s.passed());
        } else if (e instanceof UnitInstalled i) {
            r.put(F.SERIAL_NO, i.serialNo());
            r.put(F.PRODUCT_MODEL, i.productModel());
            r.put(F.REGION, i.region());
        } else if (e instanceof FieldFailure f) {
            r.put(F.SERIAL_NO, f.serialNo());
            r.put(F.PRODUCT_MODEL, f.productModel());
            r.put(F.FAILURE_MODE, f.failureMode());
            r.put(F.CLAIM_COST, f.claimCost());
            r.put(F.WARRANTY, f.warranty());
            r.put(F.OPERATING_HOURS, f.operatingHours());
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
