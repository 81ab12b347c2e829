package io.qualitylake.batch.sql;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Registers every table of a lake under its SPEC §3 name in the session catalog:
 * bronze.production|field|quarantine|alerts (Parquet, partitions discovered, hidden in-progress files
 * skipped), silver.* and gold.* (Delta), ops.job_runs and ops.dq_results (Delta) and ops.ingest_stats (JSON).
 */
public final class LakeCatalog {
    private LakeCatalog() {}

    /** The Delta tables of the ops zone: every job run, and the silver job's data-quality results. */
    public static final List<String> OPS_DELTA_TABLES = List.of("job_runs", "dq_results");

    public record Registered(String name, String format, String path) {}

    public static List<Registered> register(SparkSession spark, Lake lake) throws Exception {
        return register(spark, lake, true, name -> true);
    }

    /**
     * Registers only the tables {@code wanted} accepts (a name such as {@code gold.line_grades}). Registering a table
     * costs a listing of its files (bronze: every partition folder) or a read of its Delta log, which on a year's lake
     * is most of a one-off query's time; a statement needs only the tables it names (see {@link #namedIn}).
     */
    public static List<Registered> register(SparkSession spark, Lake lake, Predicate<String> wanted) throws Exception {
        return register(spark, lake, true, wanted);
    }

    /** The lake's zones, each a database of the session catalog. */
    static final List<String> ZONES = List.of("bronze", "silver", "gold", "ops");
    private static final String ZONE_NAMES = "(" + String.join("|", ZONES) + ")";
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w/])`?" + ZONE_NAMES + "`?\\s*\\.\\s*`?(\\w+)`?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ZONE = Pattern.compile("(?<![\\w.])" + ZONE_NAMES + "(?!\\w)", Pattern.CASE_INSENSITIVE);

    /**
     * The lake tables a statement may use, read from its text: every {@code zone.table} it names, and every table of a
     * zone it names on its own ({@code SHOW TABLES IN gold}). Text, not the parsed plan, so a name in a subquery, a CTE
     * or a command is never missed; a name inside a string or comment only registers a table the statement then
     * does not read.
     */
    public static Predicate<String> namedIn(String sql) {
        Set<String> tables = new HashSet<>();
        Set<String> zones = new HashSet<>();
        Matcher q = QUALIFIED.matcher(sql);
        while (q.find()) {
            tables.add(q.group(1).toLowerCase(Locale.ROOT) + "." + q.group(2).toLowerCase(Locale.ROOT));
        }
        String rest = QUALIFIED.matcher(sql).replaceAll(" ");
        Matcher z = ZONE.matcher(rest);
        while (z.find()) {
            zones.add(z.group(1).toLowerCase(Locale.ROOT));
        }
        return name -> {
            String n = name.toLowerCase(Locale.ROOT);
            return tables.contains(n) || zones.contains(n.substring(0, n.indexOf('.')));
        };
    }

    /**
     * For a long-running session ({@code qlake serve}): registers the tables that appeared since, and lets the
     * bronze tables see new partitions and files; tables already registered stay as they are.
     */
    public static List<Registered> registerNew(SparkSession spark, Lake lake) throws Exception {
        return register(spark, lake, false, name -> true);
    }

    private static List<Registered> register(SparkSession spark, Lake lake, boolean replace, Predicate<String> wanted)
            throws Exception {
        List<Registered> out = new ArrayList<>();
        for (String db : ZONES) {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
        }
        for (String t : List.of("production", "field", "quarantine", "alerts")) {
            String path = lake.bronze(t);
            if (wanted.test("bronze." + t) && hasFiles(spark, path)) {
                if (!replace && spark.catalog().tableExists("bronze." + t)) {
                    spark.sql("REFRESH TABLE bronze." + t); // new files in known partitions
                } else {
                    register(spark, out, "bronze." + t, "parquet", path);
                }
                boolean partitioned = spark.catalog().listColumns("bronze." + t).collectAsList().stream()
                        .anyMatch(org.apache.spark.sql.catalog.Column::isPartition);
                if (partitioned) { // catalog-managed partitions must be discovered once
                    spark.sql("ALTER TABLE bronze." + t + " RECOVER PARTITIONS");
                }
            }
        }
        for (String zone : List.of("silver", "gold")) {
            for (String name : subfolders(spark, lake.root() + "/" + zone)) {
                String path = lake.root() + "/" + zone + "/" + name;
                if (wanted.test(zone + "." + name) && Tables.exists(spark, path)
                        && (replace || !spark.catalog().tableExists(zone + "." + name))) {
                    register(spark, out, zone + "." + name, "delta", path);
                }
            }
        }
        for (String ops : OPS_DELTA_TABLES) {
            if (wanted.test("ops." + ops) && Tables.exists(spark, lake.ops(ops))
                    && (replace || !spark.catalog().tableExists("ops." + ops))) {
                register(spark, out, "ops." + ops, "delta", lake.ops(ops));
            }
        }
        String stats = lake.root() + "/" + io.qualitylake.schemas.LakeLayout.ingestStats();
        if (wanted.test("ops.ingest_stats") && hasFiles(spark, stats) && (replace || !spark.catalog().tableExists("ops.ingest_stats"))) {
            register(spark, out, "ops.ingest_stats", "json", stats);
        }
        return out;
    }

    /**
     * Time travel to one run (SPEC §3): each Delta table becomes a view of the version that run wrote,
     * or else of the latest version committed by the time the run finished; tables made later are left out.
     */
    public static List<Registered> pinToRun(SparkSession spark, Lake lake, List<Registered> registered, String runId)
            throws org.apache.spark.sql.AnalysisException, IOException {
        org.apache.spark.sql.Row run = io.qualitylake.batch.job.RunLog.byId(spark, lake, runId);
        if (run == null) {
            throw new io.qualitylake.cli.UserError("no run " + runId + " in ops.job_runs (see: qlake sql --lake … "
                    + "\"SELECT run_id, job, as_of, finished_at FROM ops.job_runs ORDER BY finished_at DESC\")");
        }
        java.sql.Timestamp finished = run.getTimestamp(run.fieldIndex("finished_at"));
        java.util.Map<String, Long> written = run.isNullAt(run.fieldIndex("versions_written")) ? java.util.Map.of()
                : run.getJavaMap(run.fieldIndex("versions_written"));
        List<Registered> out = new ArrayList<>();
        for (Registered r : registered) {
            if (!r.format().equals("delta") || r.name().equals("ops.job_runs")) {
                out.add(r);
                continue;
            }
            Long version = written.get(r.name());
            if (version == null) {
                version = io.qualitylake.batch.lake.Delta.versionAt(spark, r.path(), finished);
            }
            if (version != null) {
                requireReadable(spark, r, version, run);
            }
            drop(spark, r.name());
            if (version != null) {
                spark.sql("CREATE VIEW " + r.name() + " AS SELECT * FROM delta.`" + r.path() + "` VERSION AS OF " + version);
                out.add(new Registered(r.name(), "delta@v" + version, r.path()));
            }
        }
        return out;
    }

    /**
     * Refuses, in one line, a run whose version of a table {@code qlake batch vacuum} has deleted files of (or whose
     * log entry Delta has cleaned up): otherwise the query would fail half-way with a missing-file error.
     */
    private static void requireReadable(SparkSession spark, Registered r, long version, org.apache.spark.sql.Row run)
            throws IOException {
        long gone = missingFiles(spark, r.path(), version);
        if (gone != 0) {
            String why = gone < 0 ? "is no longer in the table's log"
                    : "has been vacuumed (" + gone + " of its files " + (gone == 1 ? "is" : "are") + " gone)";
            throw new io.qualitylake.cli.UserError("run " + run.getAs("run_id") + " (" + run.getAs("job") + ", finished "
                    + run.getAs("finished_at") + ") is no longer readable: " + r.name() + " as that run left it (version "
                    + version + ") " + why + "; qlake batch vacuum --keep-runs N keeps the last N runs of each job "
                    + "readable; list the runs with: qlake sql --lake … \"SELECT run_id, job, as_of, finished_at FROM "
                    + "ops.job_runs ORDER BY finished_at DESC\"");
        }
    }

    /**
     * How many data files of {@code version} of the Delta table at {@code path} are gone; -1 when its log no longer
     * holds that version. Only the files the latest version does not share are looked for (those are the ones a
     * VACUUM can have deleted), so the check costs two log reads and a few file lookups.
     */
    public static long missingFiles(SparkSession spark, String path, long version) throws IOException {
        String[] then;
        try {
            then = spark.read().format("delta").option("versionAsOf", version).load(path).inputFiles();
        } catch (Exception e) { // Scala code: checked exceptions are not declared
            if (e instanceof org.apache.spark.sql.delta.VersionNotFoundException // the log was cleaned up past it
                    || e instanceof org.apache.spark.sql.delta.DeltaAnalysisException d && String.valueOf(d.getErrorClass()).contains("VERSION")) {
                return -1;
            }
            throw e;
        }
        Set<String> now = new HashSet<>(List.of(spark.read().format("delta").load(path).inputFiles()));
        FileSystem fs = FileSystem.get(URI.create(path), spark.sparkContext().hadoopConfiguration());
        long missing = 0;
        for (String f : then) {
            if (!now.contains(f) && !fs.exists(new Path(f))) {
                missing++;
            }
        }
        return missing;
    }

    /** Drops a name whether it is a table or a view (a session pinned to a run holds views). */
    private static void drop(SparkSession spark, String name) throws org.apache.spark.sql.AnalysisException {
        if (spark.catalog().tableExists(name)) {
            boolean view = "VIEW".equalsIgnoreCase(spark.catalog().getTable(name).tableType());
            spark.sql((view ? "DROP VIEW " : "DROP TABLE ") + name);
        }
    }

    private static void register(SparkSession spark, List<Registered> out, String name, String format, String path)
            throws org.apache.spark.sql.AnalysisException {
        drop(spark, name);
        spark.sql("CREATE TABLE " + name + " USING " + format + " LOCATION '" + path.replace("'", "\\'") + "'");
        out.add(new Registered(name, format, path));
    }

    private static List<String> subfolders(SparkSession spark, String dir) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(dir), spark.sparkContext().hadoopConfiguration());
        Path p = new Path(dir);
        List<String> names = new ArrayList<>();
        if (!fs.exists(p)) {
            return names;
        }
        for (FileStatus s : fs.listStatus(p)) {
            String n = s.getPath().getName();
            if (s.isDirectory() && !n.startsWith("_") && !n.startsWith(".")) {
                names.add(n);
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    private static boolean hasFiles(SparkSession spark, String dir) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(dir), spark.sparkContext().hadoopConfiguration());
        Path p = new Path(dir);
        if (!fs.exists(p)) {
            return false;
        }
        return hasVisibleFile(fs, p);
    }

    /**
     * Whether a file whose name is not hidden lies anywhere under {@code p} (a Delta log's commits count: an empty table
     * is a table). Uses {@code listStatus}, not {@code listFiles}: on the local file system the latter asks {@code ls}
     * for each entry's permissions and throws when a writer renames a temp file (Delta's {@code .crc} writes) between
     * list and look.
     */
    private static boolean hasVisibleFile(FileSystem fs, Path p) throws IOException {
        for (FileStatus s : fs.listStatus(p)) {
            if (s.isDirectory() ? hasVisibleFile(fs, s.getPath()) : !s.getPath().getName().startsWith(".")
                    && !s.getPath().getName().startsWith("_")) {
                return true;
            }
        }
        return false;
    }
}
