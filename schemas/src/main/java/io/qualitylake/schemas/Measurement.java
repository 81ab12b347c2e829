package io.qualitylake.schemas;

import java.time.Instant;
import java.util.List;

/** One in-process measurement of a characteristic; measurements of one subgroup share subgroupId. */
public record Measurement(String schema, String eventId, Instant eventTime, String plantId,
                          String lineId, String stationId, String characteristicId, String subgroupId,
                          double value, Double lsl, Double usl, Double target, String collection,
                          String serialNo) implements QualityEvent {
    public static final List<String> COLLECTIONS = List.of("AUTO", "MANUAL");

    @Override public EventType eventType() { return EventType.MEASUREMENT; }

    @Override public String kafkaKey() { return serialNo != null ? serialNo : plantId + "/" + lineId; }
}
