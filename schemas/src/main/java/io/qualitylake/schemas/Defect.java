package io.qualitylake.schemas;

import java.time.Instant;
import java.util.List;

/** A coded defect found on a unit at a station, with its disposition and cost. */
public record Defect(String schema, String eventId, Instant eventTime, String plantId,
                     String serialNo, String lineId, String stationId, String defectCode,
                     String severity, String disposition, double cost) implements QualityEvent {
    public static final List<String> SEVERITIES = List.of("CRITICAL", "MAJOR", "MINOR");
    public static final List<String> DISPOSITIONS = List.of("REWORK", "SCRAP", "USE_AS_IS");

    @Override public EventType eventType() { return EventType.DEFECT; }

    @Override public String kafkaKey() { return serialNo; }
}
