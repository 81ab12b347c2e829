package io.qualitylake.schemas;

import java.time.Instant;

/**
 * One valid event of SPEC §2. Implementations are immutable records produced only by
 * {@link EventValidator} (from the wire) or by producers such as the simulator.
 */
public sealed interface QualityEvent
        permits UnitCompleted, Measurement, Defect, SpotCheck, UnitInstalled, FieldFailure {

    /** e.g. {@code qlake.production/1}; kept as sent (a newer minor version is allowed). */
    String schema();

    String eventId();

    EventType eventType();

    Instant eventTime();

    String plantId();

    default Topic topic() {
        return eventType().topic();
    }

    /** SPEC §2: {@code serial_no} where the event has one, else plant_id (+ line_id or batch_id). */
    String kafkaKey();
}
