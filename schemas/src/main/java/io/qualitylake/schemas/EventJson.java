package io.qualitylake.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/** Writes events in their wire form (SPEC §2): one JSON object, field names as in the contract. */
public final class EventJson {
    private static final JsonFactory JSON = new JsonFactory();
    /** Always milliseconds, always Z: {@code 2026-03-01T08:15:30.123Z}. */
    public static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").toFormatter().withZone(ZoneOffset.UTC);

    private EventJson() {}

    public static String toJson(QualityEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(e, g);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String formatTime(Instant t) {
        return TIME.format(t);
    }

    public static void write(QualityEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", e.schema());
        g.writeStringField("event_id", e.eventId());
        g.writeStringField("event_type", e.eventType().name());
        g.writeStringField("event_time", formatTime(e.eventTime()));
        g.writeStringField("plant_id", e.plantId());
        if (e instanceof UnitCompleted u) {
            g.writeStringField("serial_no", u.serialNo());
            g.writeStringField("product_model", u.productModel());
            g.writeStringField("line_id", u.lineId());
            g.writeStringField("batch_id", u.batchId());
            g.writeStringField("shift", u.shift());
            g.writeStringField("result", u.result());
            g.writeNumberField("rework_count", u.reworkCount());
            g.writeNumberField("unit_value", u.unitValue());
            g.writeArrayFieldStart("components");
            for (Component c : u.components()) {
                g.writeStartObject();
                g.writeStringField("component", c.component());
                g.writeStringField("supplier_id", c.supplierId());
                g.writeStringField("lot_id", c.lotId());
                g.writeEndObject();
            }
            g.writeEndArray();
        } else if (e instanceof Measurement m) {
            g.writeStringField("line_id", m.lineId());
            g.writeStringField("station_id", m.stationId());
            g.writeStringField("characteristic_id", m.characteristicId());
            g.writeStringField("subgroup_id", m.subgroupId());
            g.writeNumberField("value", m.value());
            nullableNumber(g, "lsl", m.lsl());
            nullableNumber(g, "usl", m.usl());
            nullableNumber(g, "target", m.target());
            g.writeStringField("collection", m.collection());
            if (m.serialNo() != null) {
                g.writeStringField("serial_no", m.serialNo());
            }
        } else if (e instanceof Defect d) {
            g.writeStringField("serial_no", d.serialNo());
            g.writeStringField("line_id", d.lineId());
            g.writeStringField("station_id", d.stationId());
            g.writeStringField("defect_code", d.defectCode());
            g.writeStringField("severity", d.severity());
            g.writeStringField("disposition", d.disposition());
            g.writeNumberField("cost", d.cost());
        } else if (e instanceof SpotCheck s) {
            g.writeStringField("product_model", s.productModel());
            g.writeStringField("batch_id", s.batchId());
            g.writeStringField("checker", s.checker());
            g.writeNumberField("sample_size", s.sampleSize());
            g.writeNumberField("nonconforming", s.nonconforming());
            g.writeBooleanField("passed", s.passed());
        } else if (e instanceof UnitInstalled i) {
            g.writeStringField("serial_no", i.serialNo());
            g.writeStringField("product_model", i.productModel());
            g.writeStringField("region", i.region());
        } else if (e instanceof FieldFailure f) {
            g.writeStringField("serial_no", f.serialNo());
            g.writeStringField("product_model", f.productModel());
            g.writeStringField("failure_mode", f.failureMode());
            g.writeNumberField("claim_cost", f.claimCost());
            g.writeBooleanField("warranty", f.warranty());
            if (f.operatingHours() != null) {
                g.writeNumberField("operating_hours", f.operatingHours());
            }
        }
        g.writeEndObject();
    }

    private static void nullableNumber(JsonGenerator g, String name, Double v) throws IOException {
        if (v == null) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, v);
        }
    }
}
