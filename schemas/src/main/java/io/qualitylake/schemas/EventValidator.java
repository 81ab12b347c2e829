package io.qualitylake.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one validator of SPEC §2. It turns a raw record into a typed {@link QualityEvent} or a
 * {@link ValidationResult.Invalid} with a stable {@link Reason} and a one-line message. It never
 * throws on bad input. The record is read once with Jackson's streaming parser (no tree); a
 * validator is cheap, stateless between calls and not thread-safe (one per task).
 */
public final class EventValidator {
    /** Records above this size are rejected before parsing (Kafka's default message limit is ~1 MiB). */
    public static final int MAX_RECORD_BYTES = 1_000_000;
    /** event_time may be at most this far ahead of ingest time. */
    public static final Duration MAX_FUTURE = Duration.ofDays(1);
    /** Earliest plausible event_time; older is treated as a broken clock. */
    public static final Instant MIN_TIME = Instant.parse("1970-01-01T00:00:00Z");

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // so NaN/Infinity get NON_FINITE, not INVALID_JSON
            .build();

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

    /** Marks an explicit JSON null, as opposed to an absent field (slot == null). */
    private static final Object JSON_NULL = new Object();
    /** Marks an object or array where a scalar was expected. */
    private static final Object NESTED = new Object();

    /** Every field any event type has, so one pass fills typed slots without a map. */
    private enum F {
        schema, event_id, event_type, event_time, plant_id,
        serial_no, product_model, line_id, batch_id, shift, result, rework_count, unit_value, components,
        station_id, characteristic_id, subgroup_id, value, lsl, usl, target, collection,
        defect_code, severity, disposition, cost,
        checker, sample_size, nonconforming, passed,
        region, failure_mode, claim_cost, warranty, operating_hours;

        static F of(String name) {
            // switch on String compiles to a hash lookup; unknown fields are allowed (newer minors)
            return switch (name) {
                case "schema" -> schema; case "event_id" -> event_id; case "event_type" -> event_type;
                case "event_time" -> event_time; case "plant_id" -> plant_id; case "serial_no" -> serial_no;
                case "product_model" -> product_model; case "line_id" -> line_id; case "batch_id" -> batch_id;
                case "shift" -> shift; case "result" -> result; case "rework_count" -> rework_count;
                case "unit_value" -> unit_value; case "components" -> components; case "station_id" -> station_id;
                case "characteristic_id" -> characteristic_id; case "subgroup_id" -> subgroup_id;
                case "value" -> value; case "lsl" -> lsl; case "usl" -> usl; case "target" -> target;
                case "collection" -> collection; case "defect_code" -> defect_code; case "severity" -> severity;
                case "disposition" -> disposition; case "cost" -> cost; case "checker" -> checker;
                case "sample_size" -> sample_size; case "nonconforming" -> nonconforming; case "passed" -> passed;
                case "region" -> region; case "failure_mode" -> failure_mode; case "claim_cost" -> claim_cost;
                case "warranty" -> warranty; case "operating_hours" -> operating_hours;
                default -> null;
            };
        }
    }

    /** Thrown internally to unwind to {@link #validate}; never escapes this class. */
    private static final class Rejected extends Exception {
        final Reason reason;

        Rejected(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    private final Object[] slots = new Object[F.values().length];
    private final List<Object> componentRows = new ArrayList<>();

    public ValidationResult validate(String record, Topic expectedTopic, Instant ingestTime) {
        return validate(record == null ? null : record.getBytes(StandardCharsets.UTF_8), expectedTopic, ingestTime);
    }

    /**
     * @param expectedTopic the topic the record came from, or null when unknown (file input);
     *                      an event type of another topic is then {@link Reason#UNKNOWN_TYPE}
     * @param ingestTime    "now" for the future-time rule; passed in so tests and replays are deterministic
     */
    public ValidationResult validate(byte[] record, Topic expectedTopic, Instant ingestTime) {
        if (record == null || record.length == 0) {
            return new ValidationResult.Invalid(Reason.INVALID_JSON, "empty record");
        }
        if (record.length > MAX_RECORD_BYTES) {
            return new ValidationResult.Invalid(Reason.TOO_LARGE,
                    "record of " + record.length + " bytes exceeds the limit of " + MAX_RECORD_BYTES);
        }
        java.util.Arrays.fill(slots, null);
        componentRows.clear();
        try {
            parse(record);
            return new ValidationResult.Valid(build(expectedTopic, ingestTime));
        } catch (Rejected r) {
            return new ValidationResult.Invalid(r.reason, r.getMessage());
        } catch (IOException | RuntimeException e) {
            return new ValidationResult.Invalid(Reason.INVALID_JSON, oneLine(e.getMessage()));
        }
    }

    // ------------------------------------------------------------------ parsing

    private void parse(byte[] record) throws IOException, Rejected {
        try (JsonParser p = JSON.createParser(record)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Rejected(Reason.INVALID_JSON, "record is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                F f = F.of(p.currentName());
                JsonToken v = p.nextToken();
                if (f == null) {
                    p.skipChildren();
                } else if (f == F.components) {
                    slots[f.ordinal()] = readComponents(p, v);
                } else {
                    slots[f.ordinal()] = scalar(p, v);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new Rejected(Reason.INVALID_JSON, "record is not a JSON object");
            }
            if (p.nextToken() != null) {
                throw new Rejected(Reason.INVALID_JSON, "unexpected content after the JSON object");
            }
        }
    }

    private static Object scalar(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? (Object) p.getDoubleValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> JSON_NULL;
            case START_OBJECT, START_ARRAY -> {
                p.skipChildren();
                yield NESTED;
            }
            default -> NESTED;
        };
    }

    /** components: array of {component, supplier_id, lot_id}; each row becomes Object[3] of scalars. */
    private Object readComponents(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return JSON_NULL;
        }
        if (v != JsonToken.START_ARRAY) {
            return scalar(p, v);
        }
        List<Object> rows = componentRows;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                scalar(p, t);
                rows.add(NESTED);
                continue;
            }
            Object[] row = new Object[3];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken vt = p.nextToken();
                int idx = switch (name) {
                    case "component" -> 0;
                    case "supplier_id" -> 1;
                    case "lot_id" -> 2;
                    default -> -1;
                };
                Object val = scalar(p, vt);
                if (idx >= 0) {
                    row[idx] = val;
                }
            }
            rows.add(row);
        }
        return rows;
    }

    // ------------------------------------------------------------------ typed construction

    private QualityEvent build(Topic expectedTopic, Instant ingestTime) throws Rejected {
        String schema = string(F.schema);
        Topic family = schemaFamily(schema);
        String typeName = string(F.event_type);
        EventType type = EventType.parse(typeName);
        if (type == null) {
            throw new Rejected(Reason.UNKNOWN_TYPE, "unknown event_type '" + clip(typeName) + "'");
        }
        if (type.topic() != family) {
            throw new Rejected(Reason.UNKNOWN_TYPE,
                    "event_type " + type + " does not belong to schema " + clip(schema));
        }
        if (expectedTopic != null && type.topic() != expectedTopic) {
            throw new Rejected(Reason.UNKNOWN_TYPE,
                    "event_type " + type + " does not belong on topic " + expectedTopic.topicName());
        }
        String eventId = string(F.event_id);
        if (!Identifiers.isValidEventId(eventId)) {
            throw new Rejected(Reason.BAD_IDENTIFIER, "event_id '" + clip(eventId)
                    + "' must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        Instant time = eventTime(ingestTime);
        String plant = id(F.plant_id);
        return switch (type) {
            case UNIT_COMPLETED -> new UnitCompleted(schema, eventId, time, plant, id(F.serial_no),
                    id(F.product_model), id(F.line_id), id(F.batch_id),
                    oneOf(F.shift, UnitCompleted.SHIFTS), oneOf(F.result, UnitCompleted.RESULTS),
                    nonNegativeInt(F.rework_count), nonNegative(F.unit_value), components());
            case MEASUREMENT -> new Measurement(schema, eventId, time, plant, id(F.line_id), id(F.station_id),
                    id(F.characteristic_id), id(F.subgroup_id), finite(F.value),
                    optionalFinite(F.lsl), optionalFinite(F.usl), optionalFinite(F.target),
                    oneOf(F.collection, Measurement.COLLECTIONS), optionalId(F.serial_no));
            case DEFECT -> new Defect(schema, eventId, time, plant, id(F.serial_no), id(F.line_id),
                    id(F.station_id), id(F.defect_code), oneOf(F.severity, Defect.SEVERITIES),
                    oneOf(F.disposition, Defect.DISPOSITIONS), nonNegative(F.cost));
            case SPOT_CHECK -> spotCheck(schema, eventId, time, plant);
            case UNIT_INSTALLED -> new UnitInstalled(schema, eventId, time, plant, id(F.serial_no),
                    id(F.product_model), text(F.region));
            case FIELD_FAILURE -> new FieldFailure(schema, eventId, time, plant, id(F.serial_no),
                    id(F.product_model), id(F.failure_mode), nonNegative(F.claim_cost), bool(F.warranty),
                    optionalNonNegative(F.operating_hours));
        };
    }

    private SpotCheck spotCheck(String schema, String eventId, Instant time, String plant) throws Rejected {
        String model = id(F.product_model);
        String batch = id(F.batch_id);
        String checker = oneOf(F.checker, SpotCheck.CHECKERS);
        long sample = integer(F.sample_size);
        if (sample <= 0 || sample > Integer.MAX_VALUE) {
            throw new Rejected(Reason.OUT_OF_RANGE, "sample_size must be a positive integer, got " + sample);
        }
        long bad = integer(F.nonconforming);
        if (bad < 0 || bad > sample) {
            throw new Rejected(Reason.OUT_OF_RANGE,
                    "nonconforming must be between 0 and sample_size " + sample + ", got " + bad);
        }
        return new SpotCheck(schema, eventId, time, plant, model, batch, checker, (int) sample, (int) bad, bool(F.passed));
    }

    private static Topic schemaFamily(String schema) throws Rejected {
        int slash = schema.indexOf('/');
        if (slash <= 0 || slash == schema.length() - 1) {
            throw new Rejected(Reason.UNKNOWN_SCHEMA, "schema '" + clip(schema) + "' is not <family>/<major>[.<minor>]");
        }
        Topic topic = Topic.bySchemaFamily(schema.substring(0, slash)).orElse(null);
        String version = schema.substring(slash + 1);
        int dot = version.indexOf('.');
        String major = dot < 0 ? version : version.substring(0, dot);
        String minor = dot < 0 ? "0" : version.substring(dot + 1);
        if (topic == null || !isDigits(major) || !isDigits(minor)) {
            throw new Rejected(Reason.UNKNOWN_SCHEMA, "unknown schema '" + clip(schema) + "'");
        }
        if (!major.equals(String.valueOf(SchemaVersions.CURRENT_MAJOR))) {
            throw new Rejected(Reason.UNKNOWN_SCHEMA, "unsupported major version in schema '" + clip(schema)
                    + "' (this build reads major " + SchemaVersions.CURRENT_MAJOR + ")");
        }
        return topic;
    }

    private Instant eventTime(Instant ingestTime) throws Rejected {
        String text = string(F.event_time);
        Instant t = Timestamps.parse(text);
        if (t == null) {
            throw new Rejected(Reason.BAD_TIME, "event_time '" + clip(text) + "' is not an ISO-8601 instant with zone");
        }
        if (t.isAfter(ingestTime.plus(MAX_FUTURE))) {
            throw new Rejected(Reason.BAD_TIME, "event_time " + text + " is more than 1 day after ingest time " + ingestTime);
        }
        if (t.isBefore(MIN_TIME)) {
            throw new Rejected(Reason.BAD_TIME, "event_time " + text + " is before " + MIN_TIME);
        }
        return t;
    }

    private List<Component> components() throws Rejected {
        Object v = required(F.components);
        if (!(v instanceof List<?> rows)) {
            throw new Rejected(Reason.BAD_TYPE, "components must be an array of objects");
        }
        List<Component> out = new ArrayList<>(rows.size());
        for (Object r : rows) {
            if (!(r instanceof Object[] row)) {
                throw new Rejected(Reason.BAD_TYPE, "components must be an array of objects");
            }
            out.add(new Component(componentId(row[0], "component"), componentId(row[1], "supplier_id"),
                    componentId(row[2], "lot_id")));
        }
        return out;
    }

    private static String componentId(Object v, String name) throws Rejected {
        if (v == null || v == JSON_NULL) {
            throw new Rejected(Reason.MISSING_FIELD, "components[]." + name + " is required");
        }
        if (!(v instanceof String s)) {
            throw new Rejected(Reason.BAD_TYPE, "components[]." + name + " must be a string");
        }
        if (!Identifiers.isValidId(s)) {
            throw new Rejected(Reason.BAD_IDENTIFIER, badId("components[]." + name, s));
        }
        return s;
    }

    // ------------------------------------------------------------------ field accessors

    private Object required(F f) throws Rejected {
        Object v = slots[f.ordinal()];
        if (v == null || v == JSON_NULL) {
            throw new Rejected(Reason.MISSING_FIELD, f.name() + " is required");
        }
        return v;
    }

    private String string(F f) throws Rejected {
        Object v = required(f);
        if (!(v instanceof String s)) {
            throw new Rejected(Reason.BAD_TYPE, f.name() + " must be a string");
        }
        return s;
    }

    private String id(F f) throws Rejected {
        String s = string(f);
        if (!Identifiers.isValidId(s)) {
            throw new Rejected(Reason.BAD_IDENTIFIER, badId(f.name(), s));
        }
        return s;
    }

    private String optionalId(F f) throws Rejected {
        Object v = slots[f.ordinal()];
        return v == null || v == JSON_NULL ? null : id(f);
    }

    /** Free text (region): 1-128 characters, no control characters. */
    private String text(F f) throws Rejected {
        String s = string(f);
        if (s.isEmpty() || s.length() > 128 || s.chars().anyMatch(Character::isISOControl)) {
            throw new Rejected(Reason.OUT_OF_RANGE, f.name() + " must be 1-128 printable characters");
        }
        return s;
    }

    private String oneOf(F f, List<String> allowed) throws Rejected {
        String s = string(f);
        if (!allowed.contains(s)) {
            throw new Rejected(Reason.OUT_OF_RANGE, f.name() + " '" + clip(s) + "' is not one of " + allowed);
        }
        return s;
    }

    private double number(F f) throws Rejected {
        Object v = required(f);
        if (v instanceof Long l) {
            return l;
        }
        if (!(v instanceof Double d)) {
            throw new Rejected(Reason.BAD_TYPE, f.name() + " must be a number");
        }
        return d;
    }

    private double finite(F f) throws Rejected {
        double d = number(f);
        if (!Double.isFinite(d)) {
            throw new Rejected(Reason.NON_FINITE, f.name() + " must be finite, got " + d);
        }
        return d;
    }

    private double nonNegative(F f) throws Rejected {
        double d = finite(f);
        if (d < 0) {
            throw new Rejected(Reason.OUT_OF_RANGE, f.name() + " must be >= 0, got " + d);
        }
        return d;
    }

    private Double optionalFinite(F f) throws Rejected {
        Object v = slots[f.ordinal()];
        return v == null || v == JSON_NULL ? null : finite(f);
    }

    private Double optionalNonNegative(F f) throws Rejected {
        Object v = slots[f.ordinal()];
        return v == null || v == JSON_NULL ? null : nonNegative(f);
    }

    private long integer(F f) throws Rejected {
        Object v = required(f);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d && !Double.isFinite(d)) {
            throw new Rejected(Reason.NON_FINITE, f.name() + " must be finite, got " + d);
        }
        throw new Rejected(Reason.BAD_TYPE, f.name() + " must be an integer");
    }

    private int nonNegativeInt(F f) throws Rejected {
        long l = integer(f);
        if (l < 0 || l > Integer.MAX_VALUE) {
            throw new Rejected(Reason.OUT_OF_RANGE, f.name() + " must be a non-negative integer, got " + l);
        }
        return (int) l;
    }

    private boolean bool(F f) throws Rejected {
        Object v = required(f);
        if (!(v instanceof Boolean b)) {
            throw new Rejected(Reason.BAD_TYPE, f.name() + " must be true or false");
        }
        return b;
    }

    // ------------------------------------------------------------------ messages

    private static String badId(String field, String value) {
        return field + " '" + clip(value) + "' breaks the identifier rule " + Identifiers.ID_PATTERN;
    }

    /** Keeps messages one short line even for hostile input. */
    static String clip(String s) {
        if (s == null) {
            return "null";
        }
        String flat = CONTROL.matcher(s).replaceAll("?");
        return flat.length() <= 80 ? flat : flat.substring(0, 77) + "...";
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "malformed JSON";
        }
        int nl = s.indexOf('\n');
        return clip(nl < 0 ? s : s.substring(0, nl));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
