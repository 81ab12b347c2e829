package io.qualitylake.schemas;

/** Stable quarantine reason codes (SPEC §2 "Validation and quarantine"). Never rename one. */
public enum Reason {
    /** Not parseable as one JSON object (including trailing garbage, or not UTF-8). */
    INVALID_JSON,
    /** A required field is absent or null. */
    MISSING_FIELD,
    /** A field has the wrong JSON type (string for a number, fraction for an integer, ...). */
    BAD_TYPE,
    /** NaN or ±Infinity (or a number too large for a double). */
    NON_FINITE,
    /** A value outside its allowed range or set (negative count, unknown enum value, ...). */
    OUT_OF_RANGE,
    /** An identifier that breaks the identifier rule and would be unsafe as a path or key. */
    BAD_IDENTIFIER,
    /** A {@code schema} that is not {@code qlake.production/1} or {@code qlake.field/1} (any minor). */
    UNKNOWN_SCHEMA,
    /** An unknown {@code event_type}, or one that does not belong to the topic / schema family. */
    UNKNOWN_TYPE,
    /** An {@code event_time} that is not an ISO-8601 instant with zone, or out of range. */
    BAD_TIME,
    /** A record larger than {@link EventValidator#MAX_RECORD_BYTES}. */
    TOO_LARGE
}
