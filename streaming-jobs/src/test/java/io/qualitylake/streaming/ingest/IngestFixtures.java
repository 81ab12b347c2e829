package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.Reason;
import io.qualitylake.schemas.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/** Shared test inputs and the expected outcome computed independently with the validator. */
final class IngestFixtures {
    static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");

    /** One record of every invalid kind, each with the reason code it must get. */
    static final Map<String, Reason> INVALID = new java.util.LinkedHashMap<>();

    static {
        String ok = "\"schema\":\"qlake.field/1\",\"event_type\":\"UNIT_INSTALLED\",\"event_time\":\"2026-03-05T00:00:00Z\","
                + "\"serial_no\":\"SN-1\",\"product_model\":\"M100\",\"region\":\"East\"";
        INVALID.put("{not json", Reason.INVALID_JSON);
        INVALID.put("{" + ok + ",\"plant_id\":\"P1\"}", Reason.MISSING_FIELD); // no event_id
        INVALID.put("{" + ok + ",\"event_id\":\"x-1\",\"plant_id\":7}", Reason.BAD_TYPE);
        INVALID.put("{" + ok + ",\"event_id\":\"x-2\",\"plant_id\":\"../etc\"}", Reason.BAD_IDENTIFIER);
        INVALID.put("{" + ok.replace("qlake.field/1", "qlake.field/2") + ",\"event_id\":\"x-3\",\"plant_id\":\"P1\"}", Reason.UNKNOWN_SCHEMA);
        INVALID.put("{" + ok.replace("UNIT_INSTALLED", "UNIT_TELEPORTED") + ",\"event_id\":\"x-4\",\"plant_id\":\"P1\"}", Reason.UNKNOWN_TYPE);
        INVALID.put("{" + ok.replace("2026-03-05T00:00:00Z", "2999-01-01T00:00:00Z") + ",\"event_id\":\"x-5\",\"plant_id\":\"P1\"}", Reason.BAD_TIME);
        INVALID.put("{\"schema\":\"qlake.field/1\",\"event_id\":\"x-6\",\"event_type\":\"FIELD_FAILURE\",\"event_time\":\"2026-03-05T00:00:00Z\","
                + "\"plant_id\":\"P1\",\"serial_no\":\"SN-1\",\"product_model\":\"M100\",\"failure_mode\":\"NOISE\","
                + "\"claim_cost\":NaN,\"warranty\":true}", Reason.NON_FINITE);
        INVALID.put("{\"schema\":\"qlake.field/1\",\"event_id\":\"x-7\",\"event_type\":\"FIELD_FAILURE\",\"event_time\":\"2026-03-05T00:00:00Z\","
                + "\"plant_id\":\"P1\",\"serial_no\":\"SN-1\",\"product_model\":\"M100\",\"failure_mode\":\"NOISE\","
                + "\"claim_cost\":-5,\"warranty\":true}", Reason.OUT_OF_RANGE);
        INVALID.put("{" + ok + ",\"event_id\":\"x-8\",\"plant_id\":\"P1\",\"pad\":\"" + "x".repeat(1_000_001) + "\"}", Reason.TOO_LARGE);
    }

    /** Expected bronze content for a list of records: valid unique ids and quarantine reasons. */
    record Expected(Set<String> production, Set<String> field, Map<String, Long> quarantined, long duplicates, long read) {}

    /** @param topics the topic each record was read from (Kafka mode), or null for files */
    static Expected expect(List<byte[]> records, List<io.qualitylake.schemas.Topic> topics) {
        EventValidator v = new EventValidator();
        Set<String> prod = new HashSet<>();
        Set<String> field = new HashSet<>();
        Map<String, Long> q = new TreeMap<>();
        long dup = 0;
        for (int i = 0; i < records.size(); i++) {
            byte[] r = records.get(i);
            ValidationResult res = v.validate(r, topics == null ? null : topics.get(i), NOW);
            if (res instanceof ValidationResult.Valid ok) {
                Set<String> target = ok.event().topic() == io.qualitylake.schemas.Topic.PRODUCTION ? prod : field;
                if (!target.add(ok.event().eventId())) {
                    dup++;
                }
            } else {
                q.merge(((ValidationResult.Invalid) res).reason().name(), 1L, Long::sum);
            }
        }
        return new Expected(prod, field, q, dup, records.size());
    }

    static IngestOptions options(String lake, Properties kafka, List<String> files, boolean untilIdle, String checkpoints,
                                 String restoreFrom) {
        return new IngestOptions(lake, kafka, files, untilIdle, "qlake-ingest-test-" + System.nanoTime(), "earliest",
                Duration.ofMillis(300), 2, "hashmap", checkpoints, restoreFrom, Duration.ofHours(1),
                DeduplicateFunction.DEFAULT_RETENTION, kafka != null);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private IngestFixtures() {}
}
