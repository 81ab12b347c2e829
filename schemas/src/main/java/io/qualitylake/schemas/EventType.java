package io.qualitylake.schemas;

/** The event types of SPEC §2; each belongs to exactly one topic. */
public enum EventType {
    UNIT_COMPLETED, MEASUREMENT, DEFECT, SPOT_CHECK, UNIT_INSTALLED, FIELD_FAILURE;

    public Topic topic() {
        return switch (this) {
            case UNIT_COMPLETED, MEASUREMENT, DEFECT, SPOT_CHECK -> Topic.PRODUCTION;
            case UNIT_INSTALLED, FIELD_FAILURE -> Topic.FIELD;
        };
    }

    /** The current {@code schema} value for events of this type, e.g. {@code qlake.production/1}. */
    public String schemaId() {
        return topic().schemaFamily() + "/" + SchemaVersions.CURRENT_MAJOR;
    }

    /** Null when the name is not an event type; never throws. */
    public static EventType parse(String name) {
        for (EventType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
