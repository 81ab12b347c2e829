package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.qualitylake.schemas.BronzeColumns;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The alert contract: the topic's JSON passes the published JSON Schema and has exactly the bronze.alerts columns. */
class AlertContractTest {
    static JsonSchema schema(String topic) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(AlertContractTest.class.getResourceAsStream("/schemas/" + topic + ".schema.json"));
    }

    static Alert sample(String rule, Double lcl) {
        Alert a = new Alert();
        a.plantId = "P01";
        a.lineId = "L01";
        a.characteristicId = "C-BORE";
        a.subgroupId = "C-BORE-20260301-1";
        a.rule = rule;
        a.alertId = Alert.id(a.plantId, a.lineId, a.characteristicId, a.subgroupId, rule);
        a.subgroupTimeMillis = 1_772_352_000_000L;
        a.value = 10.5;
        a.center = 10;
        a.lcl = lcl;
        a.ucl = 10.3;
        a.z = 3.2;
        a.limitsSource = Alert.SELF_STARTED;
        a.detectedAtMillis = 1_772_352_001_234L;
        return a;
    }

    @Test
    void alertJsonPassesTheSchemaAndCarriesTheBronzeColumns() {
        for (Alert a : List.of(sample("NELSON_1", 9.7), sample("CUSUM_UP", null))) {
            JsonNode json = AlertRows.json(a);
            assertEquals(java.util.Set.of(), schema("qlake.alerts.v1").validate(json), a.rule);
            List<String> fields = new ArrayList<>();
            json.fieldNames().forEachRemaining(fields::add);
            assertEquals(BronzeColumns.ALERTS.stream().map(BronzeColumns.Column::name).toList(), fields);
            GenericRecord row = AlertRows.avro(a);
            assertEquals(a.alertId, row.get("alert_id"));
            assertEquals(a.subgroupTimeMillis * 1000, row.get("subgroup_time"), "bronze timestamps are microseconds");
            assertEquals("2026-03-01T08:00:00Z", json.get("subgroup_time").asText());
        }
        JsonNode bad = AlertRows.json(sample("NELSON_7", 9.7));
        assertTrue(!schema("qlake.alerts.v1").validate(bad).isEmpty(), "an unknown rule is refused by the schema");
    }

    @Test
    void alertIdsAreAFunctionOfCharacteristicSubgroupAndRuleOnly() {
        String id = Alert.id("P01", "L01", "C1", "S1", "NELSON_1");
        assertEquals(id, Alert.id("P01", "L01", "C1", "S1", "NELSON_1"));
        assertNotEquals(id, Alert.id("P01", "L01", "C1", "S1", "NELSON_2"));
        assertNotEquals(id, Alert.id("P01", "L02", "C1", "S1", "NELSON_1"));
        assertNotEquals(Alert.id("P0", "1L01", "C1", "S1", "R"), Alert.id("P01", "L01", "C1", "S1", "R"), "fields are delimited");
    }

    @Test
    void aControlLimitsRowAsSparkWritesItIsReadAndAgreesWithItsSchema() throws Exception {
        String row = "{\"plant_id\":\"P01\",\"line_id\":\"L01\",\"characteristic_id\":\"C1\",\"chart\":\"XBAR_R\","
                + "\"center\":10.0,\"lcl\":8.2,\"ucl\":11.8,\"range_center\":2.0,\"range_lcl\":0.0,\"range_ucl\":4.2,"
                + "\"baseline_subgroups\":25,\"subgroup_size\":5,\"sigma_within\":1.34,"
                + "\"baseline_end\":\"2026-03-01T08:00:00.000Z\",\"monitored_subgroups\":40,\"as_of\":\"2026-03-10\"}";
        assertEquals(java.util.Set.of(), schema("qlake.control-limits.v1").validate(new ObjectMapper().readTree(row)));
        PublishedLimits l = PublishedLimits.parse(row.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("P01|L01|C1", l.key());
        assertEquals(5, l.subgroupSize);
        assertEquals(1.34, l.sigma);
        assertEquals(1_772_352_000_000L, l.baselineEndMillis);
        assertEquals(1.34 / Math.sqrt(5), l.toLimits().sigmaOfPoint(5), 1e-15);
    }
}
