package io.qualitylake.batch.report;

/**
 * The report's "Recent live SPC alerts" section: the newest rows of bronze.alerts, which the Flink
 * SpcMonitorJob ({@code qlake monitor}) writes. The queries live here so the section reads the same
 * columns an analyst would query in {@code qlake sql}.
 */
final class LiveAlerts {
    private LiveAlerts() {}

    static final String TABLE = "bronze.alerts";
    static final String TITLE = "Recent live SPC alerts";
    /** How many alerts the section lists. */
    static final int LATEST = 20;

    static final String SOURCE = TABLE + ", written by qlake monitor (the Flink SpcMonitorJob), newest first: detected_at is when "
            + "the monitor judged the subgroup, subgroup_time its first measurement (UTC); limits_source says whether the limits "
            + "came from the batch job (BATCH) or the monitor's own first subgroups (SELF_STARTED).";

    static final String NONE = "No live SPC alerts in this lake: " + TABLE + " is empty or missing. qlake monitor writes one row "
            + "per rule that fires on a subgroup; a monitor that has found nothing writes none.";

    static final String COUNT = "SELECT count(*) FROM " + TABLE;

    static String latest() {
        return "SELECT date_format(a.detected_at, 'yyyy-MM-dd HH:mm:ss') AS detected_at, a.plant_id, a.line_id, a.characteristic_id, "
                + "a.rule, a.subgroup_id, date_format(a.subgroup_time, 'yyyy-MM-dd HH:mm:ss') AS subgroup_time, a.value, a.z, "
                + "a.limits_source FROM " + TABLE + " a "
                + "ORDER BY a.detected_at DESC, a.subgroup_time DESC, a.characteristic_id, a.rule LIMIT " + LATEST;
    }

    static String summary(long shown, long total) {
        return shown == total ? "All " + total + " alerts." : "The latest " + shown + " of " + total + " alerts.";
    }
}
