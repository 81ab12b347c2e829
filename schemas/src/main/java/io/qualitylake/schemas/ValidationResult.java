package io.qualitylake.schemas;

/** What {@link EventValidator} returns: a typed event, or a quarantine reason with a message. */
public sealed interface ValidationResult {

    record Valid(QualityEvent event) implements ValidationResult {}

    record Invalid(Reason reason, String message) implements ValidationResult {}

    default boolean isValid() {
        return this instanceof Valid;
    }
}
