package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.LakeLayout;
import java.time.LocalDate;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/** Partition directories of SPEC §3: {@code event_date=…/plant_id=…} and {@code ingest_date=…}. */
public final class LakeBuckets {
    private LakeBuckets() {}

    /** UTC day number of a timestamp in microseconds. */
    public static long day(long micros) {
        return Math.floorDiv(micros, 86_400_000_000L);
    }

    public static String date(long micros) {
        return LocalDate.ofEpochDay(day(micros)).toString();
    }

    /**
     * Bronze event tables: by UTC event date, then plant. Each plant's last directory is remembered,
     * since a plant's events arrive day after day: the date is formatted and the id checked once per
     * plant and day, not once per event.
     */
    static final class ByEventDateAndPlant implements BucketAssigner<GenericRecord, String> {
        private transient java.util.Map<String, Last> last;

        private record Last(long day, String bucket) {}

        @Override
        public String getBucketId(GenericRecord r, Context ctx) {
            if (last == null) {
                last = new java.util.HashMap<>();
            }
            long day = day((Long) r.get(BronzeAvro.EVENT_TIME));
            String plant = r.get(BronzeAvro.PLANT_ID).toString();
            Last l = last.get(plant);
            if (l == null || l.day != day) {
                if (last.size() > 10_000) {
                    last.clear(); // plants are few; this only bounds a pathological stream
                }
                // the validator guarantees a safe plant_id; the layout refuses anything else all the same
                l = new Last(day, LakeLayout.eventPartition(LocalDate.ofEpochDay(day).toString(), plant));
                last.put(plant, l);
            }
            return l.bucket;
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
