package io.qualitylake.schemas;

/**
 * The lake's directory contract (SPEC §3), shared by the Flink writer and the Spark readers.
 * Paths are relative to the lake root, which may be any Hadoop file-system URI.
 */
public final class LakeLayout {
    public static final String BRONZE = "bronze";
    public static final String SILVER = "silver";
    public static final String GOLD = "gold";
    public static final String OPS = "ops";
    public static final String EVENT_DATE = "event_date";
    public static final String INGEST_DATE = "ingest_date";
    public static final String PLANT_ID = "plant_id";
    /** Ingest accounting: one row per ingest run (read, written, quarantined by reason, duplicates, late). */
    public static final String INGEST_STATS = "ingest_stats";

    private LakeLayout() {}

    public static String bronze(Topic topic) {
        return BRONZE + "/" + topic.lakeName();
    }

    /**
     * The partition directory of a bronze event table, relative to the table:
     * {@code event_date=2026-03-01/plant_id=P1}. Refuses an unchecked plant id, so no path is ever
     * built from a value that did not pass the identifier rule.
     */
    public static String eventPartition(String eventDate, String plantId) {
        if (!Identifiers.isValidId(plantId)) {
            throw new IllegalArgumentException("plant_id is not a safe identifier");
        }
        return EVENT_DATE + "=" + eventDate + "/" + PLANT_ID + "=" + plantId;
    }

    /** The partition directory of bronze/quarantine, relative to the table: {@code ingest_date=2026-03-01}. */
    public static String quarantinePartition(String ingestDate) {
        return INGEST_DATE + "=" + ingestDate;
    }

    /** ops/ingest_stats: one JSON object per ingest run. */
    public static String ingestStats() {
        return OPS + "/" + INGEST_STATS;
    }
}
