package io.qualitylake.ingestion.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qualitylake.cli.UserError;
import io.qualitylake.schemas.EventJson;
import io.qualitylake.schemas.EventType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How CSV rows become events (docs/csv-mapping.md). A mapping file is JSON:
 * <pre>
 * { "time":   {"column": "ts", "format": "yyyy-MM-dd HH:mm:ss", "zone": "UTC"}
 *          or {"start": "2026-01-05T00:00:00Z", "step_seconds": 60},
 *   "events": [ { "event_type": "DEFECT", "when": {"column": "TWF", "equals": "1"},
 *                 "fields": { "plant_id": {"const": "AI4I"}, "serial_no": {"template": "ai4i-{UDI}"},
 *                             "result": {"column": "Machine_failure", "map": {"0": "PASS", "1": "SCRAP"}} } } ] }
 * </pre>
 * A field is {@code const} (any JSON value), {@code column} (optionally {@code map}ped) or
 * {@code template} ({@code {Column}} placeholders, {@code {_row}} = 1-based data row). CSV text is
 * converted to the JSON type the contract wants for that field. {@code event_id} defaults to
 * {@code <file stem>:<row>:<event index>}.
 */
final class CsvMapping {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}]+)}");
    private static final Set<String> NUMBER_FIELDS = Set.of("unit_value", "value", "lsl", "usl", "target", "cost",
            "claim_cost", "operating_hours");
    private static final Set<String> INT_FIELDS = Set.of("rework_count", "sample_size", "nonconforming");
    private static final Set<String> BOOL_FIELDS = Set.of("passed", "warranty");

    record Template(EventType type, String whenColumn, String whenEquals, Map<String, JsonNode> fields) {}

    private final List<Template> templates = new ArrayList<>();
    private final String timeColumn;
    private final DateTimeFormatter timeFormat;
    private final ZoneId zone;
    private final Instant start;
    private final long stepSeconds;

    private CsvMapping(JsonNode root, Path file) {
        JsonNode time = root.path("time");
        if (time.has("column")) {
            timeColumn = time.get("column").asText();
            try {
                timeFormat = DateTimeFormatter.ofPattern(time.path("format").asText("yyyy-MM-dd'T'HH:mm:ss"));
                zone = ZoneId.of(time.path("zone").asText("UTC"));
            } catch (RuntimeException e) {
                throw new UserError("mapping " + file + ": bad time format or zone: " + e.getMessage());
            }
            start = null;
            stepSeconds = 0;
        } else if (time.has("start")) {
            timeColumn = null;
            timeFormat = null;
            zone = null;
            try {
                start = Instant.parse(time.get("start").asText());
            } catch (DateTimeParseException e) {
                throw new UserError("mapping " + file + ": time.start is not an ISO instant");
            }
            stepSeconds = time.path("step_seconds").asLong(60);
        } else {
            throw new UserError("mapping " + file + ": needs \"time\" with \"column\" or \"start\"");
        }
        JsonNode events = root.path("events");
        if (!events.isArray() || events.isEmpty()) {
            throw new UserError("mapping " + file + ": needs a non-empty \"events\" array");
        }
        for (JsonNode ev : events) {
            EventType type = EventType.parse(ev.path("event_type").asText(null));
            if (type == null) {
                throw new UserError("mapping " + file + ": unknown event_type " + ev.path("event_type"));
            }
            Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = ev.path("fields").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!(f.getValue().has("const") || f.getValue().has("column") || f.getValue().has("template"))) {
                    throw new UserError("mapping " + file + ": field " + f.getKey() + " needs const, column or template");
                }
                fields.put(f.getKey(), f.getValue());
            }
            JsonNode when = ev.path("when");
            templates.add(new Template(type, when.path("column").asText(null), when.path("equals").asText(null), fields));
        }
    }

    static CsvMapping load(Path file) {
        try {
            return new CsvMapping(JSON.readTree(file.toFile()), file);
        } catch (IOException e) {
            throw new UserError("cannot read mapping " + file + ": " + e.getMessage().split("\n")[0]);
        }
    }

    /** Every column the mapping names must be in the header: checked before the first row. */
    void checkColumns(Set<String> header, Path csv) {
        List<String> named = new ArrayList<>();
        if (timeColumn != null) {
            named.add(timeColumn);
        }
        for (Template t : templates) {
            if (t.whenColumn() != null) {
                named.add(t.whenColumn());
            }
            for (JsonNode f : t.fields().values()) {
                if (f.has("column")) {
                    named.add(f.get("column").asText());
                }
                if (f.has("template")) {
                    Matcher m = PLACEHOLDER.matcher(f.get("template").asText());
                    while (m.find()) {
                        if (!m.group(1).equals("_row")) {
                            named.add(m.group(1));
                        }
                    }
                }
            }
        }
        for (String c : named) {
            if (!header.contains(c)) {
                throw new UserError("mapping names column '" + c + "' which " + csv.getFileName() + " does not have");
            }
        }
    }

    /** The JSON events one CSV row yields (zero or more), not yet validated. */
    List<String> events(Map<String, String> row, long rowNo, String stem) {
        List<String> out = new ArrayList<>(templates.size());
        String time = EventJson.formatTime(time(row, rowNo));
        for (int i = 0; i < templates.size(); i++) {
            Template t = templates.get(i);
            if (t.whenColumn() != null && !t.whenEquals().equals(row.get(t.whenColumn()))) {
                continue;
            }
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("schema", t.type().schemaId());
            n.put("event_id", stem + ":" + rowNo + ":" + (i + 1));
            n.put("event_type", t.type().name());
            n.put("event_time", time);
            for (Map.Entry<String, JsonNode> f : t.fields().entrySet()) {
                n.set(f.getKey(), value(f.getKey(), f.getValue(), row, rowNo));
            }
            out.add(n.toString());
        }
        return out;
    }

    private Instant time(Map<String, String> row, long rowNo) {
        if (timeColumn == null) {
            return start.plusSeconds(stepSeconds * (rowNo - 1));
        }
        String text = row.get(timeColumn);
        try {
            return LocalDateTime.parse(text, timeFormat).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return Instant.EPOCH.minusSeconds(1); // rejected by the validator as BAD_TIME, with the row reported
        }
    }

    private static JsonNode value(String field, JsonNode spec, Map<String, String> row, long rowNo) {
        if (spec.has("const")) {
            return spec.get("const");
        }
        String text;
        if (spec.has("template")) {
            Matcher m = PLACEHOLDER.matcher(spec.get("template").asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = m.group(1).equals("_row") ? Long.toString(rowNo) : row.get(m.group(1));
                m.appendReplacement(sb, Matcher.quoteReplacement(v == null ? "" : v));
            }
            m.appendTail(sb);
            text = sb.toString();
        } else {
            text = row.get(spec.get("column").asText());
        }
        if (spec.has("map") && text != null) {
            JsonNode mapped = spec.get("map").get(text);
            if (mapped != null) {
                return mapped;
            }
        }
        return typed(field, text);
    }

    /** CSV text to the JSON type the contract wants; text that does not convert stays text (the validator says BAD_TYPE). */
    private static JsonNode typed(String field, String text) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (text == null || text.isEmpty()) {
            return f.nullNode();
        }
        try {
            if (NUMBER_FIELDS.contains(field)) {
                return f.numberNode(Double.parseDouble(text));
            }
            if (INT_FIELDS.contains(field)) {
                return f.numberNode(Long.parseLong(text));
            }
        } catch (NumberFormatException e) {
            return f.textNode(text);
        }
        if (BOOL_FIELDS.contains(field) && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
            return f.booleanNode(Boolean.parseBoolean(text));
        }
        return f.textNode(text);
    }
}
