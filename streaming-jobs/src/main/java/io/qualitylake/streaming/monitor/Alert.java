package io.qualitylake.streaming.monitor;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One alert of SPEC §3 ({@code bronze.alerts}, topic {@code qlake.alerts.v1}); a Flink POJO.
 * {@code alertId} follows from characteristic, subgroup and rule alone, so a replay of the same
 * measurements yields the same ids.
 */
public class Alert {
    public static final String SELF_STARTED = "SELF_STARTED";
    public static final String BATCH = "BATCH";

    public String alertId;
    public String plantId;
    public String lineId;
    public String characteristicId;
    public String subgroupId;
    public long subgroupTimeMillis;
    /** NELSON_1…NELSON_6, EWMA, CUSUM_UP, CUSUM_DOWN. */
    public String rule;
    /** The plotted statistic: the subgroup mean (Nelson), the EWMA, or the CUSUM sum. */
    public double value;
    public double center;
    /** Null for the CUSUM rules, which have only an upper decision interval. */
    public Double lcl;
    public Double ucl;
    /** The statistic in σ of itself from the center (Nelson, EWMA) or the CUSUM sum in σ of a point. */
    public double z;
    public String limitsSource;
    public long detectedAtMillis;

    public Alert() {}

    /** Name-based (MD5, RFC 4122 type 3) UUID of {@code qlake.alert/1|plant|line|characteristic|subgroup|rule}. */
    public static String id(String plant, String line, String characteristic, String subgroup, String rule) {
        String name = "qlake.alert/1|" + plant + "|" + line + "|" + characteristic + "|" + subgroup + "|" + rule;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public String key() {
        return MeasurementPoint.key(plantId, lineId, characteristicId);
    }

    @Override
    public String toString() {
        return rule + "@" + key() + "#" + subgroupId + " value=" + value + " z=" + z;
    }
}
