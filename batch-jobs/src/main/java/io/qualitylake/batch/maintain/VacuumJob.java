package io.qualitylake.batch.maintain;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.cli.UserError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code qlake batch vacuum}: deletes the data files of silver, gold and ops tables that no version
 * still worth reading refers to (Delta's VACUUM), so storage follows the data, not the number of runs.
 * What stays readable: every version written in the last {@code --retain-hours} (default 168, Delta's
 * own default), or — with {@code --keep-runs N} — for each table, every version written since the
 * N-th latest successful run of each job that writes it started, so {@code qlake sql --at-run} keeps
 * working for those runs as far as the tables they wrote go (in a daily {@code batch all}, every
 * table). A job run rarely (e.g. {@code reference}) keeps its own tables' versions, not every other
 * table's: otherwise one run months ago would keep every version written since. Delta counts a
 * retention in whole hours: the cut is moved back to the whole hour before it, so up to an hour more
 * is kept (and runs minutes apart all are).
 * Not part of {@code batch all}: schedule it weekly, or after the daily run.
 */
public final class VacuumJob implements BatchJob {
    public static final String KEEP_RUNS_OPTION = "keep-runs";
    public static final String RETAIN_HOURS_OPTION = "retain-hours";
    static final double DEFAULT_RETAIN_HOURS = 168;

    @Override
    public String name() {
        return "vacuum";
    }

    @Override
    public String summary() {
        return "deletes files no version worth keeping refers to (Delta VACUUM LITE; --keep-runs / --retain-hours)";
    }

    @Override
    public boolean needsAsOf() {
        return false;
    }

    /** Checks the options before Spark starts. */
    public static void check(JobContext ctx) {
        keepRuns(ctx);
        retainHours(ctx);
        if (ctx.option(KEEP_RUNS_OPTION, null) != null && ctx.option(RETAIN_HOURS_OPTION, null) != null) {
            throw new UserError("--keep-runs and --retain-hours exclude each other");
        }
    }

    static Integer keepRuns(JobContext ctx) {
        String v = ctx.option(KEEP_RUNS_OPTION, null);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UserError("--keep-runs must be a whole number >= 1, got '" + v + "'");
    }

    static double retainHours(JobContext ctx) {
        String v = ctx.option(RETAIN_HOURS_OPTION, null);
        if (v == null) {
            return DEFAULT_RETAIN_HOURS;
        }
        try {
            double h = Double.parseDouble(v);
            if (h >= 0) {
                return h;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UserError("--retain-hours must be a number >= 0, got '" + v + "'");
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) throws Exception {
        Integer keep = keepRuns(ctx);
        // with --keep-runs the retention is the time since a run started, taken just before each table's
        // VACUUM (Delta measures it from its own clock then: taken earlier, the cut would drift later by
        // the time spent in between and could delete the files of the kept run's first version)
        Instant started = Instant.now();
        Instant cut = keep == null ? null : cutOfNthLatestRun(spark, ctx.lake(), keep);
        java.util.Map<String, Instant> perTable = keep == null ? java.util.Map.of() : cutsPerTable(spark, ctx.lake(), keep);
        // Delta refuses a retention below its 7-day default unless told this is intended (it is: the
        // lake lock keeps writers out while this runs, and --keep-runs keeps the versions runs wrote)
        spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
        // VACUUM lists each table with Spark's parallel file listing, 10,000 tasks by default: a few
        // suffice for a table's folder (with the default, vacuuming a small lake took minutes on 2 cores)
        spark.conf().set("spark.sql.sources.parallelPartitionDiscovery.parallelism", "8");
        spark.conf().set("spark.databricks.delta.vacuum.parallelDelete.enabled", "true");
        long before = 0;
        long after = 0;
        int tables = 0;
        int full = 0;
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        double fixed = keep == null ? retainHours(ctx) : DEFAULT_RETAIN_HOURS; // without --keep-runs, or no run recorded
        double least = Double.MAX_VALUE;
        double most = 0;
        for (String table : deltaTables(ctx.lake(), hadoop)) {
            before += bytes(hadoop, table);
            Path p = new Path(table);
            Instant tableCut = perTable.getOrDefault(p.getParent().getName() + "." + p.getName(), cut);
            double h = wholeHoursKeeping(tableCut == null ? fixed : hours(tableCut, Instant.now()));
            least = Math.min(least, h);
            most = Math.max(most, h);
            if (!vacuumLite(spark, table, h)) {
                DeltaTable.forPath(spark, table).vacuum(h);
                full++;
            }
            after += bytes(hadoop, table);
            tables++;
        }
        String kept = tables == 0 ? String.format(java.util.Locale.ROOT, "%.0f h", wholeHoursKeeping(cut == null ? fixed : hours(cut, started)))
                : least == most ? String.format(java.util.Locale.ROOT, "%.0f h", most)
                : String.format(java.util.Locale.ROOT, "%.0f-%.0f h", least, most);
        ctx.note("vacuum", String.format(java.util.Locale.ROOT, "%d tables (%d listed in full), retained %s of versions%s; %.1f MB -> %.1f MB",
                tables, full, kept, keep == null ? "" : " (the last " + keep + " runs of each job that writes a table)",
                before / 1e6, after / 1e6));
    }

    /**
     * Delta's LITE vacuum: the files to delete come from the transaction log, not from listing the
     * table's folder (a daily vacuum then costs the log, not every file the table ever had). False
     * when Delta cannot (its log no longer covers the files removed since the last vacuum): the
     * caller then vacuums in full, which also removes files no log entry names (e.g. of a crashed write).
     */
    static boolean vacuumLite(SparkSession spark, String table, double hours) {
        try {
            spark.sql(String.format(java.util.Locale.ROOT, "VACUUM delta.`%s` LITE RETAIN %f HOURS", table.replace("`", "``"), hours));
            return true;
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("DELTA_CANNOT_VACUUM_LITE")) {
                return false;
            }
            throw e;
        }
    }

    /** The start of the N-th latest successful run of each job, the earliest of those; null when no run is recorded. */
    static Instant cutOfNthLatestRun(SparkSession spark, Lake lake, int n) {
        String path = lake.ops("job_runs");
        if (!Tables.exists(spark, path)) {
            return null;
        }
        List<Row> rows = cuts(spark.read().format("delta").load(path).filter(col("status").equalTo("SUCCEEDED")), n)
                .agg(org.apache.spark.sql.functions.min("cut")).collectAsList();
        return rows.isEmpty() || rows.get(0).isNullAt(0) ? null : rows.get(0).getTimestamp(0).toInstant();
    }

    /**
     * Per table a recorded run wrote ({@code zone.table}, as in ops.job_runs versions_written): the
     * start of the N-th latest successful run of each job that wrote it, the earliest of those.
     * Tables no run recorded writing (e.g. ops.job_runs itself) are not in the map.
     */
    static java.util.Map<String, Instant> cutsPerTable(SparkSession spark, Lake lake, int n) {
        String path = lake.ops("job_runs");
        java.util.Map<String, Instant> out = new java.util.HashMap<>();
        if (!Tables.exists(spark, path)) {
            return out;
        }
        org.apache.spark.sql.Dataset<Row> ok = spark.read().format("delta").load(path).filter(col("status").equalTo("SUCCEEDED"));
        org.apache.spark.sql.Dataset<Row> cut = cuts(ok, n);
        org.apache.spark.sql.Dataset<Row> writes = ok.select(col("job"),
                        org.apache.spark.sql.functions.explode(org.apache.spark.sql.functions.map_keys(col("versions_written"))).as("table"))
                .distinct();
        for (Row r : writes.join(cut, "job").groupBy("table").agg(org.apache.spark.sql.functions.min("cut")).collectAsList()) {
            out.put(r.getString(0), r.getTimestamp(1).toInstant());
        }
        return out;
    }

    /**
     * The retention to give Delta for one that keeps {@code hours}: the next whole hour up. Delta's VACUUM rounds a
     * retention to the nearest whole hour ({@code math.round} in its VacuumCommand), which moved the cut up to 30
     * minutes later than asked and deleted files of the version current at the cut when it was replaced within those
     * minutes (a run's own write, minutes after its start). Rounded up, the cut moves earlier only: at most one hour
     * more of versions is kept, and a run-based retention at the scale of minutes keeps everything.
     */
    static double wholeHoursKeeping(double hours) {
        return Math.ceil(hours);
    }

    /** Hours from a cut to a moment: as a retention at that moment, it keeps every version current at or after the cut. */
    private static double hours(Instant cut, Instant at) {
        return Duration.between(cut, at).toMillis() / 3_600_000.0;
    }

    /** Per job: the start of its N-th latest successful run ({@code cut}; its earliest run when it has fewer). */
    private static org.apache.spark.sql.Dataset<Row> cuts(org.apache.spark.sql.Dataset<Row> succeeded, int n) {
        return succeeded.withColumn("nth", org.apache.spark.sql.functions.row_number().over(
                        org.apache.spark.sql.expressions.Window.partitionBy("job").orderBy(col("started_at").desc())))
                .filter(col("nth").leq(n)).groupBy("job").agg(org.apache.spark.sql.functions.min("started_at").as("cut"));
    }

    static List<String> deltaTables(Lake lake, Configuration hadoop) throws java.io.IOException {
        List<String> out = new ArrayList<>();
        for (String zone : List.of(lake.silver(""), lake.gold(""), lake.ops(""))) {
            Path dir = new Path(zone);
            FileSystem fs = dir.getFileSystem(hadoop);
            if (!fs.exists(dir)) {
                continue;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.isDirectory() && Lake.isDelta(hadoop, s.getPath().toString())) {
                    out.add(s.getPath().toString());
                }
            }
        }
        return out;
    }

    private static long bytes(Configuration hadoop, String table) throws java.io.IOException {
        Path p = new Path(table);
        return p.getFileSystem(hadoop).getContentSummary(p).getLength();
    }
}
