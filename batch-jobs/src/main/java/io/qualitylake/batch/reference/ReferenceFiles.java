package io.qualitylake.batch.reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.UserError;
import io.qualitylake.schemas.Identifiers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads and validates DIR/&lt;dimension&gt;.jsonl (or .csv with a header). Every bad row is reported
 * with file and line and skipped — counted, never silently dropped. Pure Java: no Spark needed.
 */
public final class ReferenceFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Valid rows of one dimension (values in column order) and the reports of the rejected ones. */
    public record Loaded(Dimension dimension, Path file, List<Object[]> rows, List<String> rejected) {}

    private ReferenceFiles() {}

    public static Map<Dimension, Loaded> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("--reference " + dir + " is not a folder");
        }
        Map<Dimension, Loaded> out = new LinkedHashMap<>();
        for (Dimension d : Dimension.values()) {
            Path jsonl = dir.resolve(d.fileName() + ".jsonl");
            Path csv = dir.resolve(d.fileName() + ".csv");
            try {
                if (Files.exists(jsonl)) {
                    out.put(d, jsonl(d, jsonl));
                } else if (Files.exists(csv)) {
                    out.put(d, csv(d, csv));
                }
            } catch (IOException e) {
                throw new UserError("cannot read " + (Files.exists(jsonl) ? jsonl : csv) + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw new UserError("no reference files in " + dir + " (expected e.g. plants.jsonl, products.csv)");
        }
        return out;
    }

    private static Loaded jsonl(Dimension d, Path file) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file.getFileName() + ":" + no;
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    rejected.add(where + ": not a JSON object");
                    continue;
                }
                if (!n.isObject()) {
                    rejected.add(where + ": not a JSON object");
                    continue;
                }
                accept(d, where, name -> n.has(name) && !n.get(name).isNull() ? n.get(name) : null, rows, rejected, keys);
            }
        }
        return new Loaded(d, file, rows, rejected);
    }

    private static Loaded csv(Dimension d, Path file) throws IOException {
        List<Object[]> rows = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get().parse(r)) {
            for (CSVRecord rec : p) {
                String where = file.getFileName() + ":" + (rec.getRecordNumber() + 1);
                Map<String, String> m = rec.toMap();
                accept(d, where, name -> {
                    String v = m.get(name);
                    return v == null || v.isEmpty() ? null : JSON.getNodeFactory().textNode(v);
                }, rows, rejected, keys);
            }
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UserError("cannot parse CSV " + file + ": " + e.getMessage());
        }
        return new Loaded(d, file, rows, rejected);
    }

    private static void accept(Dimension d, String where, java.util.function.Function<String, JsonNode> get,
                               List<Object[]> rows, List<String> rejected, Set<String> keys) {
        Object[] row = new Object[d.columns().size()];
        for (int i = 0; i < row.length; i++) {
            Dimension.Column c = d.columns().get(i);
            JsonNode v = get.apply(c.name());
            try {
                row[i] = value(c, v);
            } catch (IllegalArgumentException e) {
                rejected.add(where + ": " + e.getMessage());
                return;
            }
        }
        if (!keys.add((String) row[0])) {
            rejected.add(where + ": duplicate " + d.key() + " '" + row[0] + "'");
            return;
        }
        rows.add(row);
    }

    /** One value by its column rule; CSV text is converted (numbers, booleans) like JSON values. */
    static Object value(Dimension.Column c, JsonNode v) {
        if (v == null) {
            if (c.required()) {
                throw new IllegalArgumentException(c.name() + " is required");
            }
            return null;
        }
        String text = v.asText();
        switch (c.kind()) {
            case ID -> {
                if (!v.isTextual() || !Identifiers.isValidId(text)) {
                    throw new IllegalArgumentException(c.name() + " '" + text + "' breaks the identifier rule");
                }
                return text;
            }
            case TEXT -> {
                if (!v.isValueNode() || text.isBlank() || text.length() > 256) {
                    throw new IllegalArgumentException(c.name() + " must be 1-256 characters of text");
                }
                return text;
            }
            case INT -> {
                long l;
                try {
                    l = v.isIntegralNumber() ? v.asLong() : Long.parseLong(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(c.name() + " '" + text + "' is not an integer");
                }
                if (l < c.min() || l > c.max()) {
                    throw new IllegalArgumentException(c.name() + " " + l + " is out of range [" + (long) c.min() + ", " + (long) c.max() + "]");
                }
                return (int) l;
            }
            case NUMBER -> {
                double x;
                try {
                    x = v.isNumber() ? v.asDouble() : Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(c.name() + " '" + text + "' is not a number");
                }
                if (!Double.isFinite(x) || x < c.min() || x > c.max()) {
                    throw new IllegalArgumentException(c.name() + " " + text + " is out of range");
                }
                return x;
            }
            case BOOL -> {
                if (v.isBoolean()) {
                    return v.asBoolean();
                }
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(text);
                }
                throw new IllegalArgumentException(c.name() + " '" + text + "' is not true/false");
            }
            default -> throw new IllegalStateException();
        }
    }
}
