package io.qualitylake.batch.notebook;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.batch.sql.LakeCatalog;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The few calls a notebook needs: open a lake (every table registered by name, as in
 * {@code qlake sql}), run SQL and get a text table back. Notebooks stay thin: the logic they show
 * lives in the jobs and is tested there.
 */
public final class Notebook {
    private Notebook() {}

    private static final List<java.util.logging.Logger> QUIET = new java.util.ArrayList<>();

    /** The lake named by the QLAKE_LAKE environment variable, else {@code fallback}. */
    public static String lakeLocation(String fallback) {
        String env = System.getenv("QLAKE_LAKE");
        return env != null && !env.isBlank() ? env : fallback;
    }

    /** A local Spark session with every table of the lake registered (bronze.*, silver.*, gold.*, ops.*). */
    public static SparkSession open(String lake) throws Exception {
        // Janino (Spark's code generator) traces through java.util.logging at FINER; a notebook kernel
        // may log everything, and the kernel's formatter chokes on those records
        for (String name : new String[] {"org.codehaus.janino", "org.codehaus.commons"}) {
            java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
            l.setLevel(java.util.logging.Level.WARNING);
            l.setUseParentHandlers(false);
            QUIET.add(l); // keep a reference: JUL holds loggers weakly
        }
        SparkSession spark = SparkSessions.create(null, false);
        List<LakeCatalog.Registered> tables = LakeCatalog.register(spark, Lake.existing(lake, spark.sparkContext().hadoopConfiguration()));
        System.out.println("lake " + lake + ": " + tables.size() + " tables registered");
        return spark;
    }

    /** The first {@code max} rows as an aligned text table (values cut at 40 characters). */
    public static String table(Dataset<Row> rows, int max) {
        List<Row> list = rows.limit(max).collectAsList();
        String[] cols = rows.columns();
        String[][] cells = new String[list.size() + 1][cols.length];
        int[] width = new int[cols.length];
        for (int j = 0; j < cols.length; j++) {
            cells[0][j] = cols[j];
        }
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < cols.length; j++) {
                Object v = list.get(i).get(j);
                String s = v == null ? "" : v instanceof Double d ? String.format("%.4g", d) : String.valueOf(v);
                cells[i + 1][j] = s.length() > 40 ? s.substring(0, 37) + "..." : s;
            }
        }
        for (String[] r : cells) {
            for (int j = 0; j < cols.length; j++) {
                width[j] = Math.max(width[j], r[j].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                b.append(String.format("%-" + width[j] + "s", cells[i][j])).append(j + 1 < cols.length ? "  " : "\n");
            }
            if (i == 0) {
                for (int j = 0; j < cols.length; j++) {
                    b.append("-".repeat(width[j])).append(j + 1 < cols.length ? "  " : "\n");
                }
            }
        }
        return b.toString();
    }

    public static String sql(SparkSession spark, String query) {
        return table(spark.sql(query), 50);
    }
}
