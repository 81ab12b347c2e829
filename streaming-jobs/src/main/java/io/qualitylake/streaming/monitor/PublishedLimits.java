package io.qualitylake.streaming.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.schemas.Identifiers;
import io.qualitylake.spc.ControlChart;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One characteristic's limits as the batch capability job publishes them on
 * {@code qlake.control-limits.v1}: the {@code gold.control_limits} row as JSON (a Flink POJO).
 * {@link #parse} turns a message into limits or refuses it with a one-line reason.
 */
public class PublishedLimits implements java.io.Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String plantId;
    public String lineId;
    public String characteristicId;
    public String chart;
    public double center;
    public double sigma;
    public int subgroupSize;
    public int baselineSubgroups;
    /** Time of the last baseline subgroup: subgroups up to it are Phase I and not judged; null = judge all. */
    public Long baselineEndMillis;

    public PublishedLimits() {}

    public String key() {
        return MeasurementPoint.key(plantId, lineId, characteristicId);
    }

    /** The same limits as the batch job holds them: one definition of σ per point and of z. */
    public ControlChart.Limits toLimits() {
        ControlChart.Type type = ControlChart.Type.valueOf(chart);
        double half = 3 * (type == ControlChart.Type.I_MR ? sigma : sigma / Math.sqrt(subgroupSize));
        return new ControlChart.Limits(type, center, center - half, center + half, Double.NaN, Double.NaN, Double.NaN,
                baselineSubgroups, subgroupSize, sigma, null);
    }

    /** Identifies these limits: a new version restarts the characteristic's rule windows. */
    public String version() {
        return "BATCH|" + chart + "|" + center + "|" + sigma + "|" + subgroupSize + "|" + baselineEndMillis;
    }

    /** The limits in a message value, or an {@link IllegalArgumentException} saying what is wrong with it. */
    public static PublishedLimits parse(byte[] value) {
        if (value == null || value.length == 0) {
            throw new IllegalArgumentException("empty message");
        }
        JsonNode n;
        try {
            n = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + io.qualitylake.cli.Cli.firstLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        PublishedLimits l = new PublishedLimits();
        l.plantId = id(n, "plant_id");
        l.lineId = id(n, "line_id");
        l.characteristicId = id(n, "characteristic_id");
        JsonNode chart = n.get("chart");
        if (chart == null || chart.isNull()) {
            JsonNode reason = n.get("reason");
            throw new IllegalArgumentException("no limits for " + l.key()
                    + (reason != null && !reason.isNull() ? ": " + reason.asText() : ""));
        }
        try {
            ControlChart.Type.valueOf(chart.asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chart must be XBAR_R, XBAR_S or I_MR, got " + chart.asText());
        }
        l.chart = chart.asText();
        l.center = finite(n, "center");
        l.sigma = finite(n, "sigma_within");
        if (!(l.sigma > 0)) {
            throw new IllegalArgumentException("sigma_within must be > 0, got " + l.sigma);
        }
        JsonNode k = n.get("subgroup_size");
        if (k == null || !k.canConvertToInt() || k.asInt() < 1 || !k.isIntegralNumber()) {
            throw new IllegalArgumentException("subgroup_size must be a whole number >= 1");
        }
        l.subgroupSize = k.asInt();
        if (l.chart.equals("I_MR") != (l.subgroupSize == 1)) {
            throw new IllegalArgumentException("chart " + l.chart + " does not fit subgroup_size " + l.subgroupSize);
        }
        JsonNode b = n.get("baseline_subgroups");
        l.baselineSubgroups = b != null && b.canConvertToInt() ? b.asInt() : 0;
        l.baselineEndMillis = time(n.get("baseline_end"));
        return l;
    }

    private static String id(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || !Identifiers.isValidId(v.asText())) {
            throw new IllegalArgumentException(field + " missing or not an identifier");
        }
        return v.asText();
    }

    private static double finite(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new IllegalArgumentException(field + " missing or not a finite number");
        }
        return v.asDouble();
    }

    /** ISO-8601 instant (Spark's to_json), epoch milliseconds, or null. */
    private static Long time(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        try {
            return io.qualitylake.schemas.Timestamps.parse(v.asText()).toEpochMilli();
        } catch (RuntimeException e) {
            try {
                return Instant.parse(v.asText()).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException("baseline_end is not an ISO-8601 instant: " + v.asText());
            }
        }
    }
}
