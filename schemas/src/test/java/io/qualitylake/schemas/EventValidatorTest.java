package io.qualitylake.schemas;

import static io.qualitylake.schemas.Samples.INGEST;
import static io.qualitylake.schemas.Samples.json;
import static io.qualitylake.schemas.Samples.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventValidatorTest {
    private final EventValidator validator = new EventValidator();

    private ValidationResult check(String record) {
        return validator.validate(record, null, INGEST);
    }

    private ValidationResult mutate(String sample, Consumer<ObjectNode> change) {
        ObjectNode n = node(sample);
        change.accept(n);
        return check(json(n));
    }

    private static void assertValid(ValidationResult r) {
        assertTrue(r.isValid(), () -> "expected valid, got " + r);
    }

    private static void assertRejected(Reason reason, ValidationResult r) {
        ValidationResult.Invalid inv = assertInstanceOf(ValidationResult.Invalid.class, r, () -> "expected " + reason);
        assertEquals(reason, inv.reason(), inv::message);
        assertFalse(inv.message().isBlank());
        assertFalse(inv.message().contains("\n"), "messages are one line");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everySampleIsValidAndTyped(EventType type) {
        ValidationResult r = check(Samples.of(type));
        assertValid(r);
        QualityEvent e = ((ValidationResult.Valid) r).event();
        assertEquals(type, e.eventType());
        assertEquals("P1", e.plantId());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void serialisationRoundTripsThroughTheValidator(EventType type) {
        QualityEvent e = ((ValidationResult.Valid) check(Samples.of(type))).event();
        QualityEvent again = ((ValidationResult.Valid) check(EventJson.toJson(e))).event();
        assertEquals(e, again);
    }

    @Test
    void unitCompletedFieldsAreTyped() {
        UnitCompleted u = (UnitCompleted) ((ValidationResult.Valid) check(Samples.UNIT_COMPLETED)).event();
        assertEquals(Instant.parse("2026-03-01T08:15:30.123Z"), u.eventTime());
        assertEquals(List.of(new Component("battery", "S1", "LOT-7")), u.components());
        assertEquals(1250.5, u.unitValue());
        assertTrue(u.firstPass());
        assertEquals("SN-000001", u.kafkaKey());
    }

    @Nested
    class InvalidJson {
        @ParameterizedTest
        @ValueSource(strings = {"", "{", "{\"schema\":", "[1,2]", "\"text\"", "42", "null",
                "{\"schema\":\"qlake.field/1\"} trailing", "{\"a\":1}{\"b\":2}", "{'single':'quotes'}"})
        void notOneJsonObject(String raw) {
            assertRejected(Reason.INVALID_JSON, check(raw));
        }

        @Test
        void invalidUtf8() {
            byte[] bytes = Samples.UNIT_INSTALLED.replace("East China", "XX").getBytes(StandardCharsets.UTF_8);
            int i = new String(bytes, StandardCharsets.UTF_8).indexOf("XX");
            bytes[i] = (byte) 0xC3;
            bytes[i + 1] = (byte) 0x28; // invalid 2-byte sequence
            assertRejected(Reason.INVALID_JSON, validator.validate(bytes, null, INGEST));
        }

        @Test
        void deepNestingIsRejectedNotThrown() {
            String deep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
            ValidationResult r = check(deep);
            assertFalse(r.isValid());
        }

        @Test
        void nullRecord() {
            assertRejected(Reason.INVALID_JSON, validator.validate((byte[]) null, null, INGEST));
        }
    }

    @Nested
    class MissingField {
        @ParameterizedTest
        @ValueSource(strings = {"schema", "event_id", "event_type", "event_time", "plant_id", "serial_no",
                "product_model", "line_id", "batch_id", "shift", "result", "rework_count", "unit_value", "components"})
        void unitCompletedRequires(String field) {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.UNIT_COMPLETED, n -> n.remove(field)));
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.UNIT_COMPLETED, n -> n.putNull(field)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"line_id", "station_id", "characteristic_id", "subgroup_id", "value", "collection"})
        void measurementRequires(String field) {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.MEASUREMENT, n -> n.remove(field)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"serial_no", "line_id", "station_id", "defect_code", "severity", "disposition", "cost"})
        void defectRequires(String field) {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.DEFECT, n -> n.remove(field)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"product_model", "batch_id", "checker", "sample_size", "nonconforming", "passed"})
        void spotCheckRequires(String field) {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.SPOT_CHECK, n -> n.remove(field)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"serial_no", "product_model", "region"})
        void installRequires(String field) {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.UNIT_INSTALLED, n -> n.remove(field)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"serial_no", "product_model", "failure_mode", "claim_cost", "warranty"})
        void failureRequires(String field) {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.FIELD_FAILURE, n -> n.remove(field)));
        }

        @Test
        void optionalFieldsMayBeAbsentOrNull() {
            assertValid(mutate(Samples.MEASUREMENT, n -> n.remove(List.of("serial_no", "target"))));
            assertValid(mutate(Samples.MEASUREMENT, n -> n.putNull("lsl")));  // one-sided spec
            assertValid(mutate(Samples.MEASUREMENT, n -> n.remove("usl")));
            assertValid(mutate(Samples.FIELD_FAILURE, n -> n.remove("operating_hours")));
            assertValid(mutate(Samples.UNIT_COMPLETED, n -> n.putArray("components")));
        }

        @Test
        void componentFieldsAreRequired() {
            assertRejected(Reason.MISSING_FIELD, mutate(Samples.UNIT_COMPLETED,
                    n -> n.putArray("components").addObject().put("component", "x").put("supplier_id", "S1")));
        }
    }

    @Nested
    class BadType {
        @Test
        void stringWhereIntegerExpected() {
            assertRejected(Reason.BAD_TYPE, mutate(Samples.UNIT_COMPLETED, n -> n.put("rework_count", "1")));
        }

        @Test
        void fractionWhereIntegerExpected() {
            assertRejected(Reason.BAD_TYPE, mutate(Samples.UNIT_COMPLETED, n -> n.put("rework_count", 1.5)));
            assertValid(mutate(Samples.UNIT_COMPLETED, n -> n.put("rework_count", 2)));
        }

        @Test
        void stringWhereNumberExpected() {
            assertRejected(Reason.BAD_TYPE, mutate(Samples.MEASUREMENT, n -> n.put("value", "12.3")));
            assertValid(mutate(Samples.MEASUREMENT, n -> n.put("value", 12)));
        }

        @Test
        void wrongBoolean() {
            assertRejected(Reason.BAD_TYPE, mutate(Samples.SPOT_CHECK, n -> n.put("passed", "yes")));
            assertRejected(Reason.BAD_TYPE, mutate(Samples.FIELD_FAILURE, n -> n.put("warranty", 1)));
        }

        @Test
        void objectWhereStringExpected() {
            assertRejected(Reason.BAD_TYPE, mutate(Samples.UNIT_INSTALLED, n -> n.putObject("region")));
            assertRejected(Reason.BAD_TYPE, mutate(Samples.UNIT_INSTALLED, n -> n.put("plant_id", 7)));
        }

        @Test
        void componentsNotAnArrayOfObjects() {
            assertRejected(Reason.BAD_TYPE, mutate(Samples.UNIT_COMPLETED, n -> n.putObject("components")));
            assertRejected(Reason.BAD_TYPE, mutate(Samples.UNIT_COMPLETED, n -> n.putArray("components").add("LOT-7")));
        }
    }

    @Nested
    class NonFinite {
        @ParameterizedTest
        @ValueSource(strings = {"NaN", "Infinity", "-Infinity", "1e400"})
        void measurementValue(String literal) {
            String raw = Samples.MEASUREMENT.replace("\"value\":12.31", "\"value\":" + literal);
            assertRejected(Reason.NON_FINITE, check(raw));
        }

        @Test
        void specLimitsAndCosts() {
            assertRejected(Reason.NON_FINITE, check(Samples.MEASUREMENT.replace("\"usl\":13.5", "\"usl\":Infinity")));
            assertRejected(Reason.NON_FINITE, check(Samples.DEFECT.replace("\"cost\":12.5", "\"cost\":NaN")));
            assertValid(check(Samples.MEASUREMENT.replace("\"value\":12.31", "\"value\":1.7976931348623157E308")));
        }
    }

    @Nested
    class OutOfRange {
        @Test
        void negativeCountsAndMoney() {
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.UNIT_COMPLETED, n -> n.put("rework_count", -1)));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.UNIT_COMPLETED, n -> n.put("unit_value", -0.01)));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.DEFECT, n -> n.put("cost", -1)));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.FIELD_FAILURE, n -> n.put("claim_cost", -5)));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.FIELD_FAILURE, n -> n.put("operating_hours", -1)));
            assertValid(mutate(Samples.DEFECT, n -> n.put("cost", 0)));
        }

        @Test
        void sampleSizeAndNonconforming() {
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.SPOT_CHECK, n -> n.put("sample_size", 0)));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.SPOT_CHECK, n -> n.put("nonconforming", 51)));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.SPOT_CHECK, n -> n.put("nonconforming", -1)));
            assertValid(mutate(Samples.SPOT_CHECK, n -> n.put("nonconforming", 50)));
        }

        @Test
        void enumeratedValues() {
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.UNIT_COMPLETED, n -> n.put("shift", "D")));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.UNIT_COMPLETED, n -> n.put("result", "FAIL")));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.MEASUREMENT, n -> n.put("collection", "auto")));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.DEFECT, n -> n.put("severity", "LOW")));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.DEFECT, n -> n.put("disposition", "RETURN")));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.SPOT_CHECK, n -> n.put("checker", "AUDITOR")));
            assertValid(mutate(Samples.UNIT_COMPLETED, n -> n.put("result", "SCRAP").put("shift", "C")));
        }

        @Test
        void regionText() {
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.UNIT_INSTALLED, n -> n.put("region", "")));
            assertRejected(Reason.OUT_OF_RANGE, mutate(Samples.UNIT_INSTALLED, n -> n.put("region", "a\nb")));
            assertValid(mutate(Samples.UNIT_INSTALLED, n -> n.put("region", "华东 East")));
        }
    }

    @Nested
    class BadIdentifier {
        @ParameterizedTest
        @ValueSource(strings = {"../x", "", " ", "a b", "P1/", "Pläntß", "工厂1", ".hidden", "-dash", "_under",
                "P1\u0000", "%2e%2e", "P1;rm -rf"})
        void hostilePlantIds(String id) {
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.UNIT_COMPLETED, n -> n.put("plant_id", id)));
        }

        @Test
        void lengthLimitIs64() {
            assertValid(mutate(Samples.UNIT_COMPLETED, n -> n.put("plant_id", "P".repeat(64))));
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.UNIT_COMPLETED, n -> n.put("plant_id", "P".repeat(65))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"serial_no", "product_model", "line_id", "batch_id"})
        void everyIdFieldIsChecked(String field) {
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.UNIT_COMPLETED, n -> n.put(field, "../x")));
        }

        @Test
        void measurementAndComponentIds() {
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.MEASUREMENT, n -> n.put("characteristic_id", "a b")));
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.MEASUREMENT, n -> n.put("subgroup_id", "../sg")));
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.UNIT_COMPLETED, n -> n.putArray("components")
                    .addObject().put("component", "battery").put("supplier_id", "S1").put("lot_id", "LOT/7")));
        }

        @Test
        void eventIdAllowsColonButNotSlash() {
            assertValid(mutate(Samples.DEFECT, n -> n.put("event_id", "mes:P1:2026-03-01:000001")));
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.DEFECT, n -> n.put("event_id", "a/b")));
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.DEFECT, n -> n.put("event_id", "")));
            assertRejected(Reason.BAD_IDENTIFIER, mutate(Samples.DEFECT, n -> n.put("event_id", "e".repeat(65))));
            assertValid(mutate(Samples.DEFECT, n -> n.put("event_id", "e".repeat(64))));
        }
    }

    @Nested
    class UnknownSchema {
        @ParameterizedTest
        @ValueSource(strings = {"qlake.production/2", "qlake.production/0", "qlake.production", "qlake.other/1",
                "production/1", "qlake.production/1.x", "qlake.production/", "/1", "qlake.production/v1"})
        void rejected(String schema) {
            assertRejected(Reason.UNKNOWN_SCHEMA, mutate(Samples.UNIT_COMPLETED, n -> n.put("schema", schema)));
        }

        @Test
        void newerMinorWithExtraFieldsIsAccepted() {
            ValidationResult r = mutate(Samples.UNIT_COMPLETED, n -> {
                n.put("schema", "qlake.production/1.3");
                n.put("new_optional_field", "x");
                n.putObject("nested_extension").putArray("a").add(1);
            });
            assertValid(r);
            assertEquals("qlake.production/1.3", ((ValidationResult.Valid) r).event().schema());
        }
    }

    @Nested
    class UnknownType {
        @Test
        void unknownEventType() {
            assertRejected(Reason.UNKNOWN_TYPE, mutate(Samples.UNIT_COMPLETED, n -> n.put("event_type", "UNIT_EXPLODED")));
            assertRejected(Reason.UNKNOWN_TYPE, mutate(Samples.UNIT_COMPLETED, n -> n.put("event_type", "unit_completed")));
        }

        @Test
        void typeOfTheOtherSchemaFamily() {
            assertRejected(Reason.UNKNOWN_TYPE, mutate(Samples.UNIT_INSTALLED, n -> n.put("schema", "qlake.production/1")));
        }

        @Test
        void typeOnTheWrongTopic() {
            assertRejected(Reason.UNKNOWN_TYPE, validator.validate(Samples.UNIT_INSTALLED, Topic.PRODUCTION, INGEST));
            assertValid(validator.validate(Samples.UNIT_INSTALLED, Topic.FIELD, INGEST));
        }
    }

    @Nested
    class BadTime {
        @ParameterizedTest
        @ValueSource(strings = {"2026-03-01 08:00:00Z", "2026-03-01T08:00:00", "2026-02-30T08:00:00Z",
                "2026-13-01T08:00:00Z", "2026-03-01T24:00:00Z", "yesterday", "1740000000", "2026-03-01",
                "2026-03-01T08:00:00.Z", "1969-12-31T23:59:59Z"})
        void malformedOrImplausible(String time) {
            assertRejected(Reason.BAD_TIME, mutate(Samples.DEFECT, n -> n.put("event_time", time)));
        }

        @Test
        void moreThanOneDayInTheFuture() {
            assertRejected(Reason.BAD_TIME, mutate(Samples.DEFECT, n -> n.put("event_time", "2026-03-11T00:00:01Z")));
            assertRejected(Reason.BAD_TIME, mutate(Samples.DEFECT, n -> n.put("event_time", "2999-01-01T00:00:00Z")));
            assertValid(mutate(Samples.DEFECT, n -> n.put("event_time", "2026-03-11T00:00:00Z")));
        }

        @Test
        void offsetsAndFractionsAreUnderstood() {
            ValidationResult r = mutate(Samples.DEFECT, n -> n.put("event_time", "2026-03-01T16:15:30.5+08:00"));
            assertEquals(Instant.parse("2026-03-01T08:15:30.500Z"), ((ValidationResult.Valid) r).event().eventTime());
            ValidationResult nanos = mutate(Samples.DEFECT, n -> n.put("event_time", "2026-03-01T08:15:30.123456789Z"));
            assertEquals(123_456_789, ((ValidationResult.Valid) nanos).event().eventTime().getNano());
        }
    }

    @Nested
    class Size {
        @Test
        void oneMegabyteRecordIsTooLarge() {
            String big = Samples.UNIT_INSTALLED.replace("\"region\"", "\"padding\":\"" + "x".repeat(1 << 20) + "\",\"region\"");
            assertRejected(Reason.TOO_LARGE, check(big));
        }

        @Test
        void largeButAllowedRecordIsValid() {
            String big = Samples.UNIT_INSTALLED.replace("\"region\"", "\"padding\":\"" + "x".repeat(900_000) + "\",\"region\"");
            assertValid(check(big));
        }
    }

    @Test
    void validatorIsReusableAfterRejections() {
        assertFalse(check("{").isValid());
        assertRejected(Reason.MISSING_FIELD, mutate(Samples.DEFECT, n -> n.remove("cost")));
        assertValid(check(Samples.DEFECT));
    }
}
