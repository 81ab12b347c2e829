package io.qualitylake.schemas;

/** Version rules of the event envelope's {@code schema} field (SPEC §2). */
public final class SchemaVersions {
    /** The only major version this build understands; a newer minor adds optional fields only. */
    public static final int CURRENT_MAJOR = 1;

    private SchemaVersions() {}
}
