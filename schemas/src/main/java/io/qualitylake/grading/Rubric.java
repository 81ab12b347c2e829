package io.qualitylake.grading;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.UserError;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The line-grade rubric (SPEC §5): indicators with weights and anchor points, grade bands, the
 * minimum evidence and the regulator entry gate. Loaded from a JSON file (the shipped default is
 * {@code rubrics/line-grade.json}); every mistake in a user's file is one {@link UserError} that names it.
 * Pure Java, in the contract module: the grading job scores with it, and the simulator scores its
 * planted expected indicators with the same function (truth.json {@code line_months}).
 */
public record Rubric(String name, long minUnits, int maxMissingIndicators, List<Indicator> indicators, List<Band> bands,
                     String lowestGrade, Gate gate, Stability stability) implements Serializable {

    /** A rubric file without the stability keys (files written before them keep working). */
    public Rubric(String name, long minUnits, int maxMissingIndicators, List<Indicator> indicators, List<Band> bands,
                  String lowestGrade, Gate gate) {
        this(name, minUnits, maxMissingIndicators, indicators, bands, lowestGrade, gate, Stability.DEFAULT);
    }

    /** Indicators the grading job can compute; a rubric may use any subset. */
    public static final List<String> KNOWN = List.of("fpy", "critical_cpk_share", "dpmo", "afr_ratio", "quality_loss_rate");
    public static final String INSUFFICIENT = "INSUFFICIENT_DATA";

    /**
     * @param values anchor values, in file order; with {@code log10} they are compared on log10
     * @param scores anchor scores, strictly increasing
     */
    public record Indicator(String id, double weight, boolean log10, double[] values, double[] scores) implements Serializable {
        /** True when smaller values score higher (dpmo, AFR ratio, loss rate). */
        public boolean smallerIsBetter() {
            return values[values.length - 1] < values[0];
        }

        /** Piecewise linear through the anchors, extended along the end segments, clamped to 0–100. */
        public double score(double value) {
            if (log10 && value <= 0) {
                return smallerIsBetter() ? 100 : 0; // e.g. zero defects on a log scale
            }
            double x = log10 ? Math.log10(value) : value;
            int n = values.length;
            if (n == 1) {
                return clamp(scores[0]);
            }
            // segment: the first whose far end has not been passed yet (anchors are monotone in value)
            int seg = n - 2;
            for (int i = 0; i < n - 1; i++) {
                double end = at(i + 1);
                if (smallerIsBetter() ? x >= end : x <= end) {
                    seg = i;
                    break;
                }
            }
            double x0 = at(seg);
            double x1 = at(seg + 1);
            double s = scores[seg] + (scores[seg + 1] - scores[seg]) * (x - x0) / (x1 - x0);
            return clamp(s);
        }

        private double at(int i) {
            return log10 ? Math.log10(values[i]) : values[i];
        }

        private static double clamp(double s) {
            return Math.max(0, Math.min(100, s));
        }
    }

    /**
     * How indicators are stabilised and how sure a grade is (the optional rubric keys
     * {@code trailing_window}, {@code shrinkage} and {@code uncertainty_draws}).
     *
     * @param windowMonths indicator → months of its trailing window (1 = the month alone)
     * @param shrinkage    {@code none} or {@code empirical_bayes} (toward the peer-group mean)
     * @param draws        parametric-bootstrap draws behind score_lo/score_hi, grade_confidence, rank_lo/rank_hi
     */
    public record Stability(Map<String, Integer> windowMonths, String shrinkage, int draws) implements Serializable {
        public static final int DEFAULT_WINDOW = 3;
        /** Rare-event indicators: windowed by default (a month's failures, defects, flips near Cpk 1.33 are few). */
        public static final List<String> DEFAULT_WINDOWED = List.of("afr_ratio");
        public static final int MAX_WINDOW = 12;
        public static final int DEFAULT_DRAWS = 1000;
        public static final Stability DEFAULT = of(DEFAULT_WINDOW, DEFAULT_WINDOWED, "none", DEFAULT_DRAWS);

        public static Stability of(int months, List<String> windowed, String shrinkage, int draws) {
            Map<String, Integer> w = new LinkedHashMap<>();
            for (String i : KNOWN) {
                w.put(i, windowed.contains(i) ? months : 1);
            }
            return new Stability(Map.copyOf(w), shrinkage, draws);
        }

        public int window(String indicator) {
            return windowMonths.getOrDefault(indicator, 1);
        }

        /** The longest window: a month's grade depends on this many months ending with it. */
        public int maxWindow() {
            return windowMonths.values().stream().mapToInt(Integer::intValue).max().orElse(1);
        }

        public boolean empiricalBayes() {
            return shrinkage.equals("empirical_bayes");
        }
    }

    public record Band(String grade, double minScore) implements Serializable {}

    public record Gate(String checker, int months, String maxGrade) implements Serializable {}

    /** One line-month graded: per-indicator scores (null where no data), total, grade, gate. */
    public record Graded(Map<String, Double> scores, Double score, String grade, boolean capped, int missing) {}

    /**
     * @param values   indicator → value (null or absent: no data)
     * @param units    units built in the period
     * @param gateHit  the plant failed a gate check in the gate window
     */
    public Graded grade(Map<String, Double> values, long units, boolean gateHit) {
        Map<String, Double> scores = new LinkedHashMap<>();
        double weighted = 0;
        double weights = 0;
        int missing = 0;
        for (Indicator i : indicators) {
            Double v = values.get(i.id());
            if (v == null || v.isNaN()) {
                scores.put(i.id(), null);
                missing++;
                continue;
            }
            double s = i.score(v);
            scores.put(i.id(), s);
            weighted += i.weight() * s;
            weights += i.weight();
        }
        if (units < minUnits || missing > maxMissingIndicators || weights == 0) {
            return new Graded(scores, weights == 0 ? null : weighted / weights, INSUFFICIENT, false, missing);
        }
        double score = weighted / weights;
        String grade = band(score);
        boolean capped = false;
        if (gateHit && gate != null && rank(grade) < rank(gate.maxGrade())) {
            grade = gate.maxGrade();
            capped = true;
        }
        return new Graded(scores, score, grade, capped, missing);
    }

    public String band(double score) {
        for (Band b : bands) {
            if (score >= b.minScore()) {
                return b.grade();
            }
        }
        return lowestGrade;
    }

    /** 0 for the best grade; larger is worse. */
    public int rank(String grade) {
        for (int i = 0; i < bands.size(); i++) {
            if (bands.get(i).grade().equals(grade)) {
                return i;
            }
        }
        return bands.size();
    }

    // ---- loading and validation ----

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Rubric defaults() {
        return load(null);
    }

    /** The file at {@code path}, or the shipped default when {@code path} is null. */
    public static Rubric load(String path) {
        GradingFiles.Text t = GradingFiles.read(path, "/rubrics/line-grade.json", "rubric file");
        return parse(t.json(), t.source());
    }

    public static Rubric parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserError("rubric " + source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new UserError("rubric " + source + " must be a JSON object");
        }
        String where = "rubric " + source + ": ";
        JsonNode inds = root.path("indicators");
        if (!inds.isArray() || inds.isEmpty()) {
            throw new UserError(where + "'indicators' must be a non-empty array");
        }
        List<Indicator> indicators = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        double sum = 0;
        for (JsonNode n : inds) {
            String id = n.path("indicator").asText("");
            if (!KNOWN.contains(id)) {
                throw new UserError(where + "unknown indicator '" + id + "' (known: " + String.join(", ", KNOWN) + ")");
            }
            if (!seen.add(id)) {
                throw new UserError(where + "indicator '" + id + "' appears twice");
            }
            double w = n.path("weight").asDouble(-1);
            if (!(w > 0 && w <= 1)) {
                throw new UserError(where + "indicator '" + id + "' needs a weight in (0, 1], got " + n.path("weight"));
            }
            sum += w;
            String scale = n.path("scale").asText("linear");
            if (!scale.equals("linear") && !scale.equals("log10")) {
                throw new UserError(where + "indicator '" + id + "' has scale '" + scale + "' (linear or log10)");
            }
            JsonNode a = n.path("anchors");
            if (!a.isArray() || a.size() < 2) {
                throw new UserError(where + "indicator '" + id + "' needs at least 2 anchors [value, score]");
            }
            double[] values = new double[a.size()];
            double[] scores = new double[a.size()];
            for (int i = 0; i < a.size(); i++) {
                JsonNode p = a.get(i);
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                    throw new UserError(where + "indicator '" + id + "' anchor " + (i + 1) + " must be [value, score]");
                }
                values[i] = p.get(0).asDouble();
                scores[i] = p.get(1).asDouble();
                if (scale.equals("log10") && values[i] <= 0) {
                    throw new UserError(where + "indicator '" + id + "' is on a log10 scale, so anchor values must be > 0");
                }
                if (scores[i] < 0 || scores[i] > 100) {
                    throw new UserError(where + "indicator '" + id + "' anchor score " + scores[i] + " is outside 0-100");
                }
            }
            boolean up = values[1] > values[0];
            for (int i = 1; i < values.length; i++) {
                if (!(scores[i] > scores[i - 1])) {
                    throw new UserError(where + "indicator '" + id + "' anchors are unordered: scores must increase from one anchor to the next");
                }
                if (up ? !(values[i] > values[i - 1]) : !(values[i] < values[i - 1])) {
                    throw new UserError(where + "indicator '" + id + "' anchors are unordered: values must all rise or all fall as scores rise");
                }
            }
            indicators.add(new Indicator(id, w, scale.equals("log10"), values, scores));
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new UserError(where + String.format("weights sum to %s, not 1", trim(sum)));
        }
        JsonNode bandsNode = root.path("bands");
        if (!bandsNode.isArray() || bandsNode.isEmpty()) {
            throw new UserError(where + "'bands' must be a non-empty array of {grade, min_score}");
        }
        List<Band> bands = new ArrayList<>();
        for (JsonNode b : bandsNode) {
            String g = b.path("grade").asText("");
            if (g.isEmpty() || !b.path("min_score").isNumber()) {
                throw new UserError(where + "every band needs a grade and a numeric min_score");
            }
            if (!bands.isEmpty() && !(b.path("min_score").asDouble() < bands.get(bands.size() - 1).minScore())) {
                throw new UserError(where + "bands must be listed best first with falling min_score (at '" + g + "')");
            }
            bands.add(new Band(g, b.path("min_score").asDouble()));
        }
        String lowest = root.path("lowest_grade").asText("C");
        long minUnits = root.path("min_units").asLong(0);
        int maxMissing = root.path("max_missing_indicators").asInt(0);
        if (minUnits < 0 || maxMissing < 0) {
            throw new UserError(where + "min_units and max_missing_indicators must be >= 0");
        }
        Gate gate = null;
        JsonNode g = root.path("gate");
        if (g.isObject()) {
            gate = new Gate(g.path("checker").asText("REGULATOR"), g.path("months").asInt(12), g.path("max_grade").asText(""));
            String max = gate.maxGrade();
            if (bands.stream().noneMatch(b -> b.grade().equals(max)) && !max.equals(lowest)) {
                throw new UserError(where + "gate max_grade '" + max + "' is not one of the bands");
            }
            if (gate.months() < 1) {
                throw new UserError(where + "gate months must be >= 1");
            }
        }
        return new Rubric(root.path("name").asText(source), minUnits, maxMissing, List.copyOf(indicators), List.copyOf(bands),
                lowest, gate, stability(root, where));
    }

    private static Stability stability(JsonNode root, String where) {
        int months = Stability.DEFAULT_WINDOW;
        List<String> windowed = Stability.DEFAULT_WINDOWED;
        JsonNode w = root.path("trailing_window");
        if (!w.isMissingNode() && !w.isNull()) {
            if (!w.isObject()) {
                throw new UserError(where + "'trailing_window' must be an object {months, indicators}");
            }
            JsonNode m = w.path("months");
            if (!m.isMissingNode()) {
                if (!m.isIntegralNumber() || m.asInt() < 1 || m.asInt() > Stability.MAX_WINDOW) {
                    throw new UserError(where + "trailing_window months must be a whole number from 1 to "
                            + Stability.MAX_WINDOW + ", got " + m);
                }
                months = m.asInt();
            }
            JsonNode ids = w.path("indicators");
            if (!ids.isMissingNode()) {
                if (!ids.isArray()) {
                    throw new UserError(where + "trailing_window indicators must be an array of indicator names");
                }
                List<String> list = new ArrayList<>();
                for (JsonNode i : ids) {
                    if (!KNOWN.contains(i.asText())) {
                        throw new UserError(where + "trailing_window names unknown indicator '" + i.asText()
                                + "' (known: " + String.join(", ", KNOWN) + ")");
                    }
                    list.add(i.asText());
                }
                windowed = list;
            }
        }
        String shrinkage = root.path("shrinkage").asText("none");
        if (!shrinkage.equals("none") && !shrinkage.equals("empirical_bayes")) {
            throw new UserError(where + "shrinkage must be none or empirical_bayes, got '" + shrinkage + "'");
        }
        int draws = Stability.DEFAULT_DRAWS;
        JsonNode d = root.path("uncertainty_draws");
        if (!d.isMissingNode()) {
            if (!d.isIntegralNumber() || d.asInt() < 200 || d.asInt() > 100_000) {
                throw new UserError(where + "uncertainty_draws must be a whole number from 200 to 100000, got " + d);
            }
            draws = d.asInt();
        }
        return Stability.of(months, windowed, shrinkage, draws);
    }

    private static String trim(double v) {
        return java.math.BigDecimal.valueOf(v).setScale(6, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
