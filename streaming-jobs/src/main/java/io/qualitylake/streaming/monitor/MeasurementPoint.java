package io.qualitylake.streaming.monitor;

import io.qualitylake.streaming.ingest.BronzeAvro;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;

/**
 * One validated MEASUREMENT, reduced to what the monitor needs (a Flink POJO). Built from the bronze
 * row the ingest's {@code ValidateFunction} produces, so the monitor parses and validates each
 * record exactly as the ingest does, once.
 */
public class MeasurementPoint {
    public String plantId;
    public String lineId;
    public String characteristicId;
    public String subgroupId;
    public double value;
    public long timeMillis;
    /** 64-bit hash of event_id: a duplicate measurement is counted once in its subgroup. */
    public long eventHash;

    public MeasurementPoint() {}

    public MeasurementPoint(String plantId, String lineId, String characteristicId, String subgroupId, double value,
                            long timeMillis, long eventHash) {
        this.plantId = plantId;
        this.lineId = lineId;
        this.characteristicId = characteristicId;
        this.subgroupId = subgroupId;
        this.value = value;
        this.timeMillis = timeMillis;
        this.eventHash = eventHash;
    }

    /** {@code plant_id|line_id|characteristic_id}: the state key, and the key of qlake.control-limits.v1. */
    public String key() {
        return key(plantId, lineId, characteristicId);
    }

    public static String key(String plant, String line, String characteristic) {
        return plant + "|" + line + "|" + characteristic;
    }

    /** The point of a production bronze row, or null when the row is not a MEASUREMENT. */
    public static MeasurementPoint of(GenericRecord r) {
        if (!"MEASUREMENT".equals(r.get(BronzeAvro.EVENT_TYPE).toString())) {
            return null;
        }
        Object id = r.get(BronzeAvro.EVENT_ID);
        byte[] idBytes = id instanceof Utf8 u ? java.util.Arrays.copyOf(u.getBytes(), u.getByteLength())
                : id.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new MeasurementPoint(r.get(BronzeAvro.PLANT_ID).toString(), r.get("line_id").toString(),
                r.get("characteristic_id").toString(), r.get("subgroup_id").toString(), (Double) r.get("value"),
                (Long) r.get(BronzeAvro.EVENT_TIME) / 1000,
                org.apache.commons.codec.digest.MurmurHash3.hash128x64(idBytes, 0, idBytes.length, 0x5bc)[0]);
    }

    @Override
    public String toString() {
        return key() + "#" + subgroupId + "=" + value + "@" + timeMillis;
    }
}
