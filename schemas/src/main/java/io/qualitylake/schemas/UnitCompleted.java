package io.qualitylake.schemas;

import java.time.Instant;
import java.util.List;

/** A unit left the line: inspection result, rework count, value and its component lots. */
public record UnitCompleted(String schema, String eventId, Instant eventTime, String plantId,
                            String serialNo, String productModel, String lineId, String batchId,
                            String shift, String result, int reworkCount, double unitValue,
                            List<Component> components) implements QualityEvent {
    public static final List<String> SHIFTS = List.of("A", "B", "C");
    public static final List<String> RESULTS = List.of("PASS", "SCRAP");

    public UnitCompleted {
        components = List.copyOf(components);
    }

    @Override public EventType eventType() { return EventType.UNIT_COMPLETED; }

    @Override public String kafkaKey() { return serialNo; }

    public boolean firstPass() { return "PASS".equals(result) && reworkCount == 0; }
}
