package io.qualitylake.streaming.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.UserError;
import io.qualitylake.spc.Cusum;
import io.qualitylake.spc.Ewma;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Which charts run besides Nelson 1–6, per characteristic: EWMA (λ, L) and tabular CUSUM (k, h in σ
 * units), from the {@code --rules} file. Without a file only the Nelson rules run. File format:
 * <pre>
 * {"default": {"ewma": {"lambda": 0.2, "L": 3}, "cusum": {"k": 0.5, "h": 5}},
 *  "characteristics": {"C-TORQUE": {"ewma": {"lambda": 0.1, "L": 2.7}, "cusum": null},
 *                      "P01|L01|C-BORE": {"cusum": {"k": 0.25, "h": 8}}}}
 * </pre>
 * A characteristic entry is keyed by {@code characteristic_id} or by {@code plant|line|characteristic}
 * (the more specific wins) and replaces the default chart by chart; {@code null} switches a chart off.
 */
public final class MonitorRules implements Serializable {
    /** EWMA and CUSUM settings of one characteristic; either may be null (not run). */
    public record Charts(Ewma.Params ewma, Cusum.Params cusum) implements Serializable {}

    public static final MonitorRules NELSON_ONLY = new MonitorRules(new Charts(null, null), Map.of());

    private final Charts defaults;
    private final Map<String, Charts> byKey;

    public MonitorRules(Charts defaults, Map<String, Charts> byKey) {
        this.defaults = defaults;
        this.byKey = Map.copyOf(byKey);
    }

    public Charts forCharacteristic(String plant, String line, String characteristic) {
        Charts c = byKey.get(MeasurementPoint.key(plant, line, characteristic));
        if (c == null) {
            c = byKey.get(characteristic);
        }
        return c == null ? defaults : c;
    }

    /** Reads a rules file; any problem is one {@link UserError} line naming the file and the place. */
    public static MonitorRules read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("cannot read --rules file " + file);
        } catch (IOException e) {
            throw new UserError("--rules file " + file + " is not valid JSON: " + io.qualitylake.cli.Cli.firstLine(e.getMessage()));
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new UserError("--rules file " + file + ": " + e.getMessage());
        }
    }

    static MonitorRules parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object with \"default\" and/or \"characteristics\"");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("default") && !f.equals("characteristics")) {
                throw new IllegalArgumentException("unknown field \"" + f + "\" (expected \"default\", \"characteristics\")");
            }
        }
        Charts defaults = root.has("default") ? charts(root.get("default"), new Charts(null, null), "default")
                : new Charts(null, null);
        Map<String, Charts> byKey = new HashMap<>();
        JsonNode chars = root.get("characteristics");
        if (chars != null && !chars.isNull()) {
            if (!chars.isObject()) {
                throw new IllegalArgumentException("\"characteristics\" must be an object keyed by characteristic");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = chars.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String[] parts = e.getKey().split("\\|", -1);
                if ((parts.length != 1 && parts.length != 3) || java.util.Arrays.stream(parts).anyMatch(
                        p -> !io.qualitylake.schemas.Identifiers.isValidId(p))) {
                    throw new IllegalArgumentException("characteristic key \"" + e.getKey()
                            + "\" must be CHARACTERISTIC_ID or PLANT|LINE|CHARACTERISTIC_ID");
                }
                byKey.put(e.getKey(), charts(e.getValue(), defaults, "characteristics." + e.getKey()));
            }
        }
        return new MonitorRules(defaults, byKey);
    }

    private static Charts charts(JsonNode n, Charts base, String where) {
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with \"ewma\" and/or \"cusum\"");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("ewma") && !f.equals("cusum")) {
                throw new IllegalArgumentException(where + ": unknown chart \"" + f + "\" (expected \"ewma\", \"cusum\")");
            }
        }
        Ewma.Params ewma = base.ewma();
        Cusum.Params cusum = base.cusum();
        try {
            if (n.has("ewma")) {
                JsonNode e = n.get("ewma");
                ewma = e.isNull() ? null : new Ewma.Params(number(e, "lambda", where + ".ewma"), number(e, "L", where + ".ewma"));
            }
            if (n.has("cusum")) {
                JsonNode c = n.get("cusum");
                cusum = c.isNull() ? null : new Cusum.Params(number(c, "k", where + ".cusum"), number(c, "h", where + ".cusum"));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
        }
        return new Charts(ewma, cusum);
    }

    private static double number(JsonNode n, String field, String where) {
        JsonNode v = n == null ? null : n.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + "." + field + " must be a number");
        }
        return v.asDouble();
    }
}
