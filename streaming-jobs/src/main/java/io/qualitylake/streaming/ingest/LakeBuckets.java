package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.LakeLayout;
import java.time.LocalDate;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** Partition directories of SPEC §3: {@code event_date=…/plant_id=…} and {@code ingest_date=…}. */
final class LakeBuckets {
    private LakeBuckets() {}

    static String date(long micros) {
        return LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L)).toString();
    }

    /** Bronze event tables: by UTC event date, then plant. */
    static final class ByEventDateAndPlant implements BucketAssigner<GenericRecord, String> {
        @Override
        public String getBucketId(GenericRecord r, Context ctx) {
            // the validator guarantees a safe plant_id; the layout refuses anything else all the same
            return LakeLayout.eventPartition(date((Long) r.get("event_time")), r.get("plant_id").toString());
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }

    /** Quarantine: by UTC ingest date (its event fields cannot be trusted). */
    static final class ByIngestDate implements BucketAssigner<GenericRecord, String> {
        @Override
        public String getBucketId(GenericRecord r, Context ctx) {
            return LakeLayout.quarantinePartition(date((Long) r.get("ingest_time")));
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
