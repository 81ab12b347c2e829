package io.qualitylake.schemas;

import static io.qualitylake.schemas.Samples.INGEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published JSON Schema files (for producers in any language) must accept and reject the
 * same records as the Java validator, for every rule a JSON Schema can express. Checked with an
 * independent implementation (networknt json-schema-validator, draft 2020-12).
 */
class JsonSchemaAgreementTest {
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    static JsonSchema schemaFor(Topic topic) {
        String path = "/schemas/" + topic.topicName() + ".schema.json";
        InputStream in = JsonSchemaAgreementTest.class.getResourceAsStream(path);
        assertNotNull(in, path);
        return FACTORY.getSchema(in);
    }

    record Case(String name, EventType type, Consumer<ObjectNode> change) {}

    static Stream<Arguments> cases() {
        List<Case> cs = new ArrayList<>();
        for (EventType t : EventType.values()) {
            cs.add(new Case("valid sample", t, n -> {}));
            cs.add(new Case("missing plant_id", t, n -> n.remove("plant_id")));
            cs.add(new Case("bad plant_id", t, n -> n.put("plant_id", "../x")));
            cs.add(new Case("65-char plant_id", t, n -> n.put("plant_id", "P".repeat(65))));
            cs.add(new Case("bad event_id", t, n -> n.put("event_id", "a b")));
            cs.add(new Case("unknown type", t, n -> n.put("event_type", "NOPE")));
            cs.add(new Case("major 2", t, n -> n.put("schema", t.topic().schemaFamily() + "/2")));
            cs.add(new Case("minor 7 + extra", t, n -> n.put("schema", t.topic().schemaFamily() + "/1.7").put("extra", 1)));
            cs.add(new Case("time without zone", t, n -> n.put("event_time", "2026-03-01T08:00:00")));
            cs.add(new Case("time with offset", t, n -> n.put("event_time", "2026-03-01T08:00:00+08:00")));
        }
        cs.add(new Case("rework fraction", EventType.UNIT_COMPLETED, n -> n.put("rework_count", 0.5)));
        cs.add(new Case("rework negative", EventType.UNIT_COMPLETED, n -> n.put("rework_count", -1)));
        cs.add(new Case("shift D", EventType.UNIT_COMPLETED, n -> n.put("shift", "D")));
        cs.add(new Case("components object", EventType.UNIT_COMPLETED, n -> n.putObject("components")));
        cs.add(new Case("empty components", EventType.UNIT_COMPLETED, n -> n.putArray("components")));
        cs.add(new Case("value string", EventType.MEASUREMENT, n -> n.put("value", "1")));
        cs.add(new Case("lsl null", EventType.MEASUREMENT, n -> n.putNull("lsl")));
        cs.add(new Case("no serial", EventType.MEASUREMENT, n -> n.remove("serial_no")));
        cs.add(new Case("collection lower", EventType.MEASUREMENT, n -> n.put("collection", "auto")));
        cs.add(new Case("cost negative", EventType.DEFECT, n -> n.put("cost", -1)));
        cs.add(new Case("severity LOW", EventType.DEFECT, n -> n.put("severity", "LOW")));
        cs.add(new Case("sample 0", EventType.SPOT_CHECK, n -> n.put("sample_size", 0)));
        cs.add(new Case("passed string", EventType.SPOT_CHECK, n -> n.put("passed", "true")));
        cs.add(new Case("empty region", EventType.UNIT_INSTALLED, n -> n.put("region", "")));
        cs.add(new Case("warranty number", EventType.FIELD_FAILURE, n -> n.put("warranty", 1)));
        cs.add(new Case("no operating hours", EventType.FIELD_FAILURE, n -> n.remove("operating_hours")));
        return cs.stream().map(c -> Arguments.of(c.type() + ": " + c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void schemaFileAndValidatorAgree(String label, Case c) {
        ObjectNode n = Samples.node(Samples.of(c.type()));
        c.change().accept(n);
        String json = Samples.json(n);
        boolean javaValid = new EventValidator().validate(json, c.type().topic(), INGEST).isValid();
        Set<ValidationMessage> errors = schemaFor(c.type().topic()).validate((JsonNode) n);
        assertEquals(javaValid, errors.isEmpty(), () -> label + ": validator=" + javaValid + ", JSON Schema=" + errors);
    }
}
