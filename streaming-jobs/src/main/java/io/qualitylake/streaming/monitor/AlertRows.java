package io.qualitylake.streaming.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qualitylake.schemas.LakeLayout;
import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.ingest.BronzeAvro;
import io.qualitylake.streaming.ingest.LakeBuckets;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** An alert as a bronze/alerts row (Avro, for Parquet) and as the JSON of topic qlake.alerts.v1: the same columns. */
public final class AlertRows {
    private AlertRows() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    public static GenericRecord avro(Alert a) {
        GenericRecord r = new GenericData.Record(BronzeAvro.ALERTS);
        r.put("alert_id", a.alertId);
        r.put("plant_id", a.plantId);
        r.put("line_id", a.lineId);
        r.put("characteristic_id", a.characteristicId);
        r.put("subgroup_id", a.subgroupId);
        r.put("subgroup_time", a.subgroupTimeMillis * 1000);
        r.put("rule", a.rule);
        r.put("value", a.value);
        r.put("center", a.center);
        r.put("lcl", a.lcl);
        r.put("ucl", a.ucl);
        r.put("z", a.z);
        r.put("limits_source", a.limitsSource);
        r.put("detected_at", a.detectedAtMillis * 1000);
        return r;
    }

    public static ObjectNode json(Alert a) {
        ObjectNode n = JSON.createObjectNode();
        n.put("alert_id", a.alertId);
        n.put("plant_id", a.plantId);
        n.put("line_id", a.lineId);
        n.put("characteristic_id", a.characteristicId);
        n.put("subgroup_id", a.subgroupId);
        n.put("subgroup_time", Instant.ofEpochMilli(a.subgroupTimeMillis).toString());
        n.put("rule", a.rule);
        n.put("value", a.value);
        n.put("center", a.center);
        n.put("lcl", a.lcl);
        n.put("ucl", a.ucl);
        n.put("z", a.z);
        n.put("limits_source", a.limitsSource);
        n.put("detected_at", Instant.ofEpochMilli(a.detectedAtMillis).toString());
        return n;
    }

    static final class ToAvro implements MapFunction<Alert, GenericRecord> {
        @Override
        public GenericRecord map(Alert a) {
            return avro(a);
        }
    }

    /** The alert's JSON as the value of its Kafka record. */
    static final class Json implements SerializationSchema<Alert> {
        @Override
        public byte[] serialize(Alert a) {
            return json(a).toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The Kafka key: {@code plant_id|line_id|characteristic_id}, so one characteristic's alerts stay in order. */
    static final class Key implements SerializationSchema<Alert> {
        @Override
        public byte[] serialize(Alert a) {
            return a.key().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** bronze/alerts partitions: {@code event_date=} of the subgroup's time, like the event tables. */
    static final class ByEventDate implements BucketAssigner<GenericRecord, String> {
        @Override
        public String getBucketId(GenericRecord r, Context ctx) {
            return LakeLayout.EVENT_DATE + "=" + LakeBuckets.date((Long) r.get("subgroup_time"));
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    static String table(String lake) {
        return lake + "/" + LakeLayout.bronze(Topic.ALERTS);
    }
}
