package io.qualitylake.schemas;

import java.time.Instant;

/** A unit entered service at eventTime; plantId is the building plant. */
public record UnitInstalled(String schema, String eventId, Instant eventTime, String plantId,
                            String serialNo, String productModel, String region) implements QualityEvent {
    @Override public EventType eventType() { return EventType.UNIT_INSTALLED; }

    @Override public String kafkaKey() { return serialNo; }
}
