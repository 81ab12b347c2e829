package io.qualitylake.batch.maintain;

import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Whether two lakes hold the same gold tables, row for row, ignoring the bookkeeping columns ({@code as_of},
 * {@code run_id}, {@code period_month}): the check of IncrementalGoldIT (incremental vs full recomputation) and
 * of {@code qlake fault-test} (a run with faults vs a clean run). Doubles equal within 1e-9 relative (sums in
 * another order differ in the last bits).
 *
 * <p>{@code spark-submit --class io.qualitylake.batch.maintain.GoldDiff <cluster jar> LAKE_A LAKE_B}: one line per
 * gold table of LAKE_A, then {@code gold_identical=yes|no (N tables)}; exit 0 when identical, 1 otherwise.
 */
public final class GoldDiff {
    private GoldDiff() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GoldDiff LAKE_A LAKE_B");
            System.exit(2);
        }
        SparkSession spark = SparkSessions.create(null, false);
        Lake a = Lake.at(args[0]);
        Lake b = Lake.at(args[1]);
        boolean same = true;
        List<String> tables = goldTables(spark, a);
        for (String t : tables) {
            Optional<String> d = difference(spark, a, b, t);
            System.out.println("gold." + t + ": " + d.orElse("identical"));
            same &= d.isEmpty();
        }
        System.out.println("gold_identical=" + (same && !tables.isEmpty() ? "yes" : "no") + " (" + tables.size() + " tables)");
        spark.stop();
        System.exit(same && !tables.isEmpty() ? 0 : 1);
    }

    /** The Delta tables under the lake's gold folder, by name. */
    public static List<String> goldTables(SparkSession spark, Lake lake) throws IOException {
        String gold = lake.root() + "/gold";
        FileSystem fs = FileSystem.get(URI.create(gold), spark.sparkContext().hadoopConfiguration());
        List<String> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(gold))) {
            if (s.isDirectory() && Lake.isDelta(spark.sparkContext().hadoopConfiguration(), s.getPath().toString())) {
                out.add(s.getPath().getName());
            }
        }
        out.sort(null);
        return out;
    }

    /** Empty when gold.TABLE is the same in both lakes, else the first difference in words. */
    public static Optional<String> difference(SparkSession spark, Lake a, Lake b, String table) {
        if (!Lake.isDelta(spark.sparkContext().hadoopConfiguration(), b.gold(table))) {
            return Optional.of("missing in " + b.root());
        }
        List<List<Object>> x = rows(spark.read().format("delta").load(a.gold(table)));
        List<List<Object>> y = rows(spark.read().format("delta").load(b.gold(table)));
        if (x.size() != y.size()) {
            return Optional.of("row count " + x.size() + " vs " + y.size());
        }
        for (int i = 0; i < x.size(); i++) {
            Optional<String> d = difference(x.get(i), y.get(i), "row " + i);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    /** The rows without bookkeeping columns, each as a list of values (columns by name), sorted. */
    public static List<List<Object>> rows(Dataset<Row> table) {
        Dataset<Row> d = table.drop(Tables.AS_OF, Tables.RUN_ID, Tables.PERIOD_MONTH);
        String[] cols = d.columns();
        Arrays.sort(cols);
        List<List<Object>> out = new ArrayList<>();
        for (Row r : d.selectExpr(cols).collectAsList()) {
            List<Object> v = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                v.add(r.get(i));
            }
            out.add(v);
        }
        out.sort(Comparator.comparing(GoldDiff::sortKey));
        return out;
    }

    /** Sort by the values, numbers rounded so float noise cannot reorder rows. */
    private static String sortKey(List<Object> v) {
        StringBuilder b = new StringBuilder();
        for (Object o : v) {
            b.append(o instanceof Double x ? String.format("%.6g", x) : String.valueOf(o)).append('|');
        }
        return b.toString();
    }

    /** Empty when equal; doubles within 1e-9 relative; lists, rows and Scala sequences element by element. */
    public static Optional<String> difference(Object expected, Object actual, String where) {
        if (expected instanceof Double e && actual instanceof Double a) {
            double tol = 1e-9 * Math.max(1.0, Math.abs(e));
            return Math.abs(e - a) <= tol || (e.isNaN() && a.isNaN()) ? Optional.empty() : Optional.of(where + ": " + e + " vs " + a);
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            return elements(e, a, where, "[", "]");
        }
        if (expected instanceof Row e && actual instanceof Row a) {
            List<Object> ev = new ArrayList<>();
            List<Object> av = new ArrayList<>();
            for (int i = 0; i < e.size(); i++) {
                ev.add(e.get(i));
            }
            for (int i = 0; i < a.size(); i++) {
                av.add(a.get(i));
            }
            return elements(ev, av, where, ".", "");
        }
        if (expected instanceof scala.collection.Seq<?> e && actual instanceof scala.collection.Seq<?> a) {
            return difference(scala.collection.JavaConverters.seqAsJavaList(e), scala.collection.JavaConverters.seqAsJavaList(a), where);
        }
        return java.util.Objects.equals(expected, actual) ? Optional.empty() : Optional.of(where + ": " + expected + " vs " + actual);
    }

    private static Optional<String> elements(List<?> e, List<?> a, String where, String open, String close) {
        if (e.size() != a.size()) {
            return Optional.of(where + ": " + e.size() + " vs " + a.size() + " elements");
        }
        for (int i = 0; i < e.size(); i++) {
            Optional<String> d = difference(e.get(i), a.get(i), where + open + i + close);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }
}
