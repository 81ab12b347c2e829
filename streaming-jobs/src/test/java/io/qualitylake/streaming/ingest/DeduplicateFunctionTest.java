package io.qualitylake.streaming.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.ValidationResult;
import java.time.Duration;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import io.qualitylake.schemas.Topic;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dedupe operator on Flink's keyed operator harness: repeats dropped, state expires and is swept. */
class DeduplicateFunctionTest {
    static final Duration RETENTION = Duration.ofHours(1);
    private KeyedOneInputStreamOperatorTestHarness<EventKey, GenericRecord, GenericRecord> harness;

    static GenericRecord row(String id, long eventMillis) {
        String json = "{\"schema\":\"qlake.field/1\",\"event_id\":\"" + id + "\",\"event_type\":\"UNIT_INSTALLED\","
                + "\"event_time\":\"" + java.time.Instant.ofEpochMilli(eventMillis) + "\",\"plant_id\":\"P1\","
                + "\"serial_no\":\"SN-1\",\"product_model\":\"M100\",\"region\":\"East\"}";
        QualityEvent e = ((ValidationResult.Valid) new EventValidator().validate(json, null, IngestFixtures.NOW)).event();
        return BronzeAvro.row(e, 0, "test", 0, 0);
    }

    static StreamRecord<GenericRecord> at(GenericRecord r) {
        return new StreamRecord<>(r, (Long) r.get("event_time") / 1000);
    }

    @BeforeEach
    void open() throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateFunction(RETENTION, "field")),
                new LakeIngestJob.EventIdKey(), new EventKey.Type());
        // the job's row serializer for the output copies (the default would fall back to Kryo)
        harness.setup(new BronzeRowType(Topic.FIELD).createSerializer(new SerializerConfigImpl()));
        harness.open();
        harness.setStateTtlProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private List<String> emittedIds() {
        return harness.extractOutputValues().stream().map(r -> r.get("event_id").toString()).toList();
    }

    @Test
    void repeatsWithinTheRetentionAreDropped() throws Exception {
        long t = 1_767_225_600_000L;
        harness.processElement(at(row("a", t)));
        harness.processElement(at(row("b", t)));
        harness.processElement(at(row("a", t)));
        harness.setStateTtlProcessingTime(RETENTION.toMillis() - 1);
        harness.processElement(at(row("a", t)));
        assertEquals(List.of("a", "b"), emittedIds());
    }

    @Test
    void stateExpiresWhenTheRetentionEndsAndIsSweptAway() throws Exception {
        long t = 1_767_225_600_000L;
        for (int i = 0; i < 100; i++) {
            harness.processElement(at(row("id-" + i, t)));
        }
        assertEquals(100, harness.numKeyedStateEntries());
        assertEquals(0, harness.numProcessingTimeTimers(), "no timer per id");

        harness.setStateTtlProcessingTime(RETENTION.toMillis());
        // after expiry an id is new again (the documented limit of a bounded dedupe window) ...
        harness.processElement(at(row("id-7", t)));
        assertEquals(101, harness.extractOutputValues().size());
        // ... and the sweep that runs with each state access removes the expired entries while new
        // ids arrive: the state holds the live ids only, it does not accumulate
        for (int i = 0; i < 300; i++) {
            harness.processElement(at(row("new-" + i, t)));
        }
        assertEquals(301, harness.numKeyedStateEntries(), "id-7 again + 300 new ids; the 99 expired ones swept");
    }

    @Test
    void eventsBehindTheWatermarkAreStillWritten() throws Exception {
        long t = 1_767_225_600_000L;
        harness.processWatermark(new Watermark(t + 10_000));
        harness.processElement(at(row("late-1", t)));
        harness.processElement(at(row("on-time", t + 20_000)));
        assertEquals(List.of("late-1", "on-time"), emittedIds());
    }
}
