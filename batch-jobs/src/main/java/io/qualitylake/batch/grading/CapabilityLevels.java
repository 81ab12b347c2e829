package io.qualitylake.batch.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.UserError;
import io.qualitylake.grading.GradingFiles;
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

        private boolean passes(double v) {
            return min != null ? v >= min : v <= max;
        }

        boolean met(Map<String, Double> values) {
            return Boolean.TRUE.equals(met(new Evidence(values, Map.of(), Map.of())));
        }

        /** TRUE or FALSE; null when the criterion (and its alternative) cannot be judged yet. */
        Boolean met(Evidence e) {
            Boolean main;
            if (e.pending().containsKey(id)) {
                main = null;
            } else {
                Double v = e.values().get(id);
                main = v != null && !v.isNaN() && passes(v);
            }
            Boolean alt = or == null ? Boolean.FALSE : or.met(e);
            if (Boolean.TRUE.equals(main) || Boolean.TRUE.equals(alt)) {
                return true;
            }
            return main == null || alt == null ? null : false;
        }

        /**
         * Met with confidence: met, and the 95 % interval lies wholly on the met side of the
         * threshold. A criterion without a sampling interval (ranks, loss rates) is taken at face value.
         */
        Boolean metWithConfidence(Evidence e) {
            Boolean met = met(e);
            if (met == null) {
                return null;
            }
            double[] iv = e.intervals().get(id);
            boolean main = !e.pending().containsKey(id) && Boolean.TRUE.equals(met(new Evidence(e.values(), Map.of(), Map.of())))
                    && (iv == null || passes(iv[0]) && passes(iv[1]));
            return main || (or != null && Boolean.TRUE.equals(or.metWithConfidence(e)));
        }

        /** The threshold lies inside the criterion's interval: with more data it could go either way. */
        boolean undecided(Evidence e) {
            double[] iv = e.intervals().get(id);
            boolean main = iv != null && passes(iv[0]) != passes(iv[1]);
            return main || e.pending().containsKey(id) && (or == null || !Boolean.TRUE.equals(or.met(e)));
        }

        String describe(Map<String, Double> values) {
            Double v = values.get(id);
            String need = (min != null ? ">= " : "<= ") + threshold();
            String main = id + " " + (v == null || v.isNaN() ? "has no data" : "is " + round(v)) + ", needs " + need;
            return or == null ? main : main + " (or " + or.describe(values) + ")";
        }
    }

    /**
     * What the criteria are judged on.
     *
     * @param intervals criterion → its 95 % interval [lo, hi], where it has one
     * @param pending   criterion → why it cannot be judged yet (met = null)
     */
    public record Evidence(Map<String, Double> values, Map<String, double[]> intervals, Map<String, String> pending) {}

    public record Level(String level, String levelCn, List<Criterion> criteria) implements Serializable {}

    /** One criterion's outcome, as the table reports it. */
    public record Outcome(String level, String criterion, Double value, double threshold, String comparison, Boolean met, String note,
                          Double lo, Double hi, Boolean metWithConfidence) {}

    /**
     * @param provisional the level could be another: a criterion of a level reached has its threshold
     *                    inside its interval or is not judged yet, or every unmet criterion of the next
     *                    level has its threshold inside its interval
     */
    public record Result(String level, String levelCn, List<Outcome> criteria, List<String> nextLevelGaps, boolean provisional,
                         List<String> provisionalReasons) {
        public Result(String level, String levelCn, List<Outcome> criteria, List<String> nextLevelGaps) {
            this(level, levelCn, criteria, nextLevelGaps, false, List.of());
        }
    }

    /** Too little production in the period to judge: no level, and the gap says why. */
    public Result insufficient(long units) {
        return new Result(INSUFFICIENT, "数据不足", List.of(),
                List.of("only " + units + " units built in the period; at least " + minUnits + " needed to assess a level"));
    }

    public Result evaluate(Map<String, Double> values) {
        return evaluate(new Evidence(values, Map.of(), Map.of()));
    }

    /**
     * Levels in order; a level is reached when every criterion of it and of the levels below is met.
     * A criterion not judged yet (met = null) does not block a level; it makes it provisional.
     */
    public Result evaluate(Evidence e) {
        Map<String, Double> values = e.values();
        List<Outcome> outcomes = new ArrayList<>();
        String reached = baseLevel;
        String reachedCn = baseLevelCn;
        boolean chain = true;
        List<String> gaps = null;
        List<String> reasons = new ArrayList<>();
        for (Level l : levels) {
            boolean all = true;
            List<String> unmet = new ArrayList<>();
            List<String> doubts = new ArrayList<>();
            boolean unmetAllUndecided = true;
            for (Criterion c : l.criteria()) {
                Boolean met = c.met(e);
                all &= !Boolean.FALSE.equals(met);
                if (Boolean.FALSE.equals(met)) {
                    unmet.add(c.describe(values));
                }
                if (Boolean.FALSE.equals(met) && !c.undecided(e)) {
                    unmetAllUndecided = false;
                }
                if (c.undecided(e)) {
                    double[] iv = e.intervals().get(c.id());
                    doubts.add(l.level() + " " + (met == null ? c.id() + " not judged yet: " + e.pending().get(c.id())
                            : c.describe(values) + ", 95 % interval " + round(iv[0]) + "-" + round(iv[1]) + " contains the threshold"));
                }
                Double v = values.get(c.id());
                double[] iv = e.intervals().get(c.id());
                String note = c.or() == null ? null : "or " + c.or().describe(values);
                if (e.pending().containsKey(c.id())) {
                    note = note == null ? e.pending().get(c.id()) : e.pending().get(c.id()) + "; " + note;
                }
                outcomes.add(new Outcome(l.level(), c.id(), v == null || v.isNaN() ? null : v, c.threshold(),
                        c.min() != null ? "MIN" : "MAX", met, note, iv == null ? null : iv[0], iv == null ? null : iv[1],
                        c.metWithConfidence(e)));
            }
            // a reached level is in doubt if a criterion of it is; the next level only if every unmet criterion of it could be met
            if (chain && (all || unmetAllUndecided)) {
                reasons.addAll(doubts);
            }
            if (chain && all) {
                reached = l.level();
                reachedCn = l.levelCn();
            } else if (chain) {
                chain = false;
                gaps = unmet; // the first level not reached is the next level
            }
        }
        return new Result(reached, reachedCn, outcomes, gaps == null ? List.of() : gaps, !reasons.isEmpty(), List.copyOf(reasons));
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
