package io.qualitylake.schemas;

import java.time.Instant;

/** A failure in the field (warranty claim or not); eventTime is the time of failure. */
public record FieldFailure(String schema, String eventId, Instant eventTime, String plantId,
                           String serialNo, String productModel, String failureMode, double claimCost,
                           boolean warranty, Double operatingHours) implements QualityEvent {
    @Override public EventType eventType() { return EventType.FIELD_FAILURE; }

    @Override public String kafkaKey() { return serialNo; }
}
