package io.qualitylake.batch.sql;

import io.qualitylake.batch.format.HumanNumbers;
import io.qualitylake.batch.format.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a query result as a table for people (numbers rounded and grouped), CSV or JSON lines
 * (raw values). With a limit it fetches one row more than it prints, so it knows whether rows were
 * left out; without one it streams every row (no silent truncation of exports).
 */
public final class ResultWriter {
    /** Rows written, and whether the result had more. */
    public record Written(long rows, boolean more) {}

    private ResultWriter() {}

    public static Written write(Dataset<Row> result, String format, int limit, PrintStream out) {
        Dataset<Row> fetched = limit > 0 ? result.limit(limit + 1) : result;
        long n = 0;
        boolean more = false;
        switch (format) {
            case "json" -> {
                Iterator<String> it = fetched.toJSON().toLocalIterator();
                while (it.hasNext()) {
                    String line = it.next();
                    if (limit > 0 && n == limit) {
                        more = true;
                        break;
                    }
                    out.println(line);
                    n++;
                }
            }
            case "csv" -> {
                Dataset<Row> flat = flattened(fetched);
                out.println(csvLine(Arrays.asList(flat.columns())));
                Iterator<Row> it = flat.toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    if (limit > 0 && n == limit) {
                        more = true;
                        break;
                    }
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < r.size(); i++) {
                        cells.add(r.isNullAt(i) ? "" : String.valueOf(r.get(i)));
                    }
                    out.println(csvLine(cells));
                    n++;
                }
            }
            default -> {
                Dataset<Row> flat = flattened(fetched);
                StructType schema = flat.schema();
                boolean[] numeric = new boolean[schema.size()];
                for (int i = 0; i < numeric.length; i++) {
                    numeric[i] = schema.fields()[i].dataType() instanceof NumericType;
                }
                TextTable t = new TextTable(Arrays.asList(flat.columns()), numeric);
                Iterator<Row> it = flat.toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    if (limit > 0 && n == limit) {
                        more = true;
                        break;
                    }
                    t.add(cells(r));
                    n++;
                }
                out.print(t.render());
                out.printf("(%,d row%s)%n", n, n == 1 ? "" : "s");
            }
        }
        out.flush();
        return new Written(n, more);
    }

    /** What stderr says when the limit left rows out. */
    public static String leftOutMessage(long shown, String format) {
        return String.format("qlake sql: showing %,d of ≥%,d rows; use --limit 0%s for all", shown, shown + 1,
                format.equals("table") ? " or --format csv --out FILE" : "");
    }

    /** One row's cells for people: numbers by {@link HumanNumbers}, timestamps as UTC instants, NULL for null. */
    static List<String> cells(Row r) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
            Object v = r.get(i);
            cells.add(v == null ? "NULL" : v instanceof java.sql.Timestamp ts ? ts.toInstant().toString()
                    : HumanNumbers.format(v, HumanNumbers.TEXT_DIGITS));
        }
        return cells;
    }

    /** Maps, structs and arrays as JSON text, so cells are readable by any tool. */
    static Dataset<Row> flattened(Dataset<Row> df) {
        Column[] cols = Arrays.stream(df.schema().fields()).map(f -> {
            DataType t = f.dataType();
            boolean complex = t instanceof MapType || t instanceof StructType || t instanceof ArrayType;
            return complex ? functions.to_json(df.col(quoted(f))).as(f.name()) : df.col(quoted(f));
        }).toArray(Column[]::new);
        return df.select(cols);
    }

    private static String quoted(StructField f) {
        return "`" + f.name().replace("`", "``") + "`";
    }

    static String csvLine(List<String> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String s = cells.get(i);
            sb.append(i > 0 ? "," : "").append(s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                    ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return sb.toString();
    }
}
