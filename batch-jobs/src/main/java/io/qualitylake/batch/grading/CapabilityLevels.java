package io.qualitylake.batch.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.UserError;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Enterprise quality-management capability levels (SPEC §5): ordered levels, each a list of
 * criteria with a threshold; a level needs all its criteria and every level below it. Thresholds
 * come from a file (shipped default {@code rubrics/enterprise-levels.json}).
 */
public record CapabilityLevels(String name, List<Level> levels, String baseLevel, String baseLevelCn, long minUnits) implements Serializable {

    public static final String INSUFFICIENT = "INSUFFICIENT_DATA";

    /** Criteria the grading job computes per enterprise and month. */
    public static final List<String> KNOWN = List.of("installed_with_production_record", "nonfirstpass_with_coded_defect",
            "lines_measuring_critical", "traceability_coverage", "spot_check_pass_rate", "critical_cpk_share",
            "auto_collection_rate", "nelson1_subgroup_share", "afr_vs_peer_median", "quality_loss_rate_change",
            "quality_loss_rate", "fpy_percentile", "afr_percentile");

    /** value ≥ min or value ≤ max; {@code or} is an alternative that also satisfies it. */
    public record Criterion(String id, Double min, Double max, Criterion or) implements Serializable {
        double threshold() {
            return min != null ? min : max;
        }

        boolean met(Map<String, Double> values) {
            Double v = values.get(id);
            boolean ok = v != null && !v.isNaN() && (min != null ? v >= min : v <= max);
            return ok || (or != null && or.met(values));
        }

        String describe(Map<String, Double> values) {
            Double v = values.get(id);
            String need = (min != null ? ">= " : "<= ") + threshold();
            String main = id + " " + (v == null || v.isNaN() ? "has no data" : "is " + round(v)) + ", needs " + need;
            return or == null ? main : main + " (or " + or.describe(values) + ")";
        }
    }

    public record Level(String level, String levelCn, List<Criterion> criteria) implements Serializable {}

    /** One criterion's outcome, as the table reports it. */
    public record Outcome(String level, String criterion, Double value, double threshold, String comparison, boolean met, String note) {}

    public record Result(String level, String levelCn, List<Outcome> criteria, List<String> nextLevelGaps) {}

    /** Too little production in the period to judge: no level, and the gap says why. */
    public Result insufficient(long units) {
        return new Result(INSUFFICIENT, "数据不足", List.of(),
                List.of("only " + units + " units built in the period; at least " + minUnits + " needed to assess a level"));
    }

    public Result evaluate(Map<String, Double> values) {
        List<Outcome> outcomes = new ArrayList<>();
        String reached = baseLevel;
        String reachedCn = baseLevelCn;
        boolean chain = true;
        List<String> gaps = null;
        for (Level l : levels) {
            boolean all = true;
            List<String> unmet = new ArrayList<>();
            for (Criterion c : l.criteria()) {
                boolean met = c.met(values);
                all &= met;
                if (!met) {
                    unmet.add(c.describe(values));
                }
                Double v = values.get(c.id());
                outcomes.add(new Outcome(l.level(), c.id(), v == null || v.isNaN() ? null : v, c.threshold(),
                        c.min() != null ? "MIN" : "MAX", met, c.or() == null ? null : "or " + c.or().describe(values)));
            }
            if (chain && all) {
                reached = l.level();
                reachedCn = l.levelCn();
            } else if (chain) {
                chain = false;
                gaps = unmet; // the first level not reached is the next level
            }
        }
        return new Result(reached, reachedCn, outcomes, gaps == null ? List.of() : gaps);
    }

    private static String round(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    // ---- loading ----

    private static final ObjectMapper JSON = new ObjectMapper();

    public static CapabilityLevels load(String path) {
        GradingFiles.Text t = GradingFiles.read(path, "/rubrics/enterprise-levels.json", "levels file");
        return parse(t.json(), t.source());
    }

    public static CapabilityLevels parse(String json, String source) {
        String where = "levels " + source + ": ";
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError("levels " + source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("levels").isArray() || root.path("levels").isEmpty()) {
            throw new UserError(where + "'levels' must be a non-empty array, lowest level first");
        }
        List<Level> levels = new ArrayList<>();
        for (JsonNode l : root.path("levels")) {
            String name = l.path("level").asText("");
            if (name.isEmpty() || !l.path("criteria").isArray() || l.path("criteria").isEmpty()) {
                throw new UserError(where + "every level needs a name and a non-empty 'criteria' array");
            }
            List<Criterion> criteria = new ArrayList<>();
            for (JsonNode c : l.path("criteria")) {
                criteria.add(criterion(c, where + "level " + name + ": "));
            }
            levels.add(new Level(name, l.path("level_cn").asText(name), List.copyOf(criteria)));
        }
        return new CapabilityLevels(root.path("name").asText(source), List.copyOf(levels),
                root.path("base_level").asText("EXPERIENCE"), root.path("base_level_cn").asText("经验级"),
                root.path("min_units").asLong(0));
    }

    private static Criterion criterion(JsonNode c, String where) {
        String id = c.path("criterion").asText("");
        if (!KNOWN.contains(id)) {
            throw new UserError(where + "unknown criterion '" + id + "' (known: " + String.join(", ", KNOWN) + ")");
        }
        boolean hasMin = c.path("min").isNumber();
        boolean hasMax = c.path("max").isNumber();
        if (hasMin == hasMax) {
            throw new UserError(where + "criterion '" + id + "' needs exactly one numeric threshold, min or max");
        }
        Criterion or = c.path("or").isObject() ? criterion(c.path("or"), where) : null;
        return new Criterion(id, hasMin ? c.path("min").asDouble() : null, hasMax ? c.path("max").asDouble() : null, or);
    }
}
