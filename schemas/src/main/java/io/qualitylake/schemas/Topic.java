package io.qualitylake.schemas;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The topic registry: each Kafka topic of QualityLake with its schema family, the event
 * types it carries and its serialisation. Code never spells a topic name anywhere else.
 */
public enum Topic {
    PRODUCTION("qlake.production.v1", "qlake.production", "production",
            EnumSet.of(EventType.UNIT_COMPLETED, EventType.MEASUREMENT, EventType.DEFECT, EventType.SPOT_CHECK)),
    FIELD("qlake.field.v1", "qlake.field", "field",
            EnumSet.of(EventType.UNIT_INSTALLED, EventType.FIELD_FAILURE)),
    /** Invalid records with a reason (see {@link QuarantineRecord}). */
    QUARANTINE("qlake.quarantine.v1", null, "quarantine", EnumSet.noneOf(EventType.class)),
    /** The ranking feed for industry-cluster platforms: one message per cluster and period. */
    GRADES("qlake.grades.v1", null, "grades", EnumSet.noneOf(EventType.class)),
    /** Reference (dimension) rows, as an alternative to files. */
    REFERENCE("qlake.reference.v1", null, "reference", EnumSet.noneOf(EventType.class)),
    /** Live SPC alerts of SpcMonitorJob (schemas/qlake.alerts.v1.schema.json); also the bronze/alerts table. */
    ALERTS("qlake.alerts.v1", null, "alerts", EnumSet.noneOf(EventType.class)),
    /**
     * Compacted: each characteristic's current control limits, key {@code plant_id|line_id|characteristic_id},
     * value the {@code gold.control_limits} row as JSON (schemas/qlake.control-limits.v1.schema.json).
     */
    CONTROL_LIMITS("qlake.control-limits.v1", null, "control_limits", EnumSet.noneOf(EventType.class));

    /** Every value is one UTF-8 JSON object; keys are UTF-8 strings (see {@link QualityEvent#kafkaKey()}). */
    public static final String SERIALISATION = "JSON object, UTF-8; key UTF-8 string";

    private final String topicName;
    private final String schemaFamily;
    private final String lakeName;
    private final Set<EventType> eventTypes;

    Topic(String topicName, String schemaFamily, String lakeName, Set<EventType> eventTypes) {
        this.topicName = topicName;
        this.schemaFamily = schemaFamily;
        this.lakeName = lakeName;
        this.eventTypes = eventTypes;
    }

    public String topicName() { return topicName; }

    /** The {@code schema} field prefix, e.g. {@code qlake.production} for {@code qlake.production/1}. */
    public String schemaFamily() { return schemaFamily; }

    /** Name of the bronze directory / table (bronze/production, bronze.field, ...). */
    public String lakeName() { return lakeName; }

    public Set<EventType> eventTypes() { return eventTypes; }

    public boolean carries(EventType type) { return eventTypes.contains(type); }

    /** The two topics that carry events. */
    public static Topic[] eventTopics() { return new Topic[] {PRODUCTION, FIELD}; }

    public static Optional<Topic> byName(String topicName) {
        for (Topic t : values()) {
            if (t.topicName.equals(topicName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** On the ingest hot path: no streams, no allocation. */
    public static Optional<Topic> bySchemaFamily(String family) {
        return switch (family) {
            case "qlake.production" -> Optional.of(PRODUCTION);
            case "qlake.field" -> Optional.of(FIELD);
            default -> Optional.empty();
        };
    }
}
