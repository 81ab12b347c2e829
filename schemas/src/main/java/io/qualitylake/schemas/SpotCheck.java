package io.qualitylake.schemas;

import java.time.Instant;
import java.util.List;

/** A sampling inspection of a batch by the plant itself or by a regulator. */
public record SpotCheck(String schema, String eventId, Instant eventTime, String plantId,
                        String productModel, String batchId, String checker, int sampleSize,
                        int nonconforming, boolean passed) implements QualityEvent {
    public static final List<String> CHECKERS = List.of("INTERNAL", "REGULATOR");

    @Override public EventType eventType() { return EventType.SPOT_CHECK; }

    @Override public String kafkaKey() { return plantId + "/" + batchId; }
}
