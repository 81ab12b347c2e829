package io.qualitylake.batch;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.JobRunner;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.reference.ReferenceJob;
import io.qualitylake.batch.reliability.ReliabilityJob;
import io.qualitylake.batch.silver.SilverJob;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.cli.UserError;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qlake batch <job|all>}: the job registry and its command line, on top of the job core
 * ({@code batch.job}, {@code batch.lake}) and the feature packages; runs the jobs in order in one
 * Spark application, under the lake lock, each recorded in ops.job_runs.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run Spark batch jobs on the lake: reference, silver, reliability, quality, capability,",
                "grading, benchmarks, suppliers, export, or all (in that order; reference only with --reference);",
                "not in all: manifests (symlink manifests of every gold table; see --manifests) and vacuum",
                "(deletes files no version worth keeping refers to)."})
public class BatchCommand implements Callable<Integer> {
    /** The jobs of SPEC §7 in run order; null where the job is not built yet. */
    static final Map<String, Supplier<BatchJob>> JOBS = new LinkedHashMap<>();

    static {
        JOBS.put("reference", ReferenceJob::new);
        JOBS.put("silver", SilverJob::new);
        JOBS.put("reliability", ReliabilityJob::new);
        JOBS.put("quality", io.qualitylake.batch.quality.QualityJob::new);
        JOBS.put("capability", io.qualitylake.batch.capability.CapabilityJob::new);
        JOBS.put("grading", io.qualitylake.batch.grading.GradingJob::new);
        JOBS.put("benchmarks", io.qualitylake.batch.benchmarks.BenchmarksJob::new);
        JOBS.put("suppliers", io.qualitylake.batch.suppliers.SuppliersJob::new);
        JOBS.put("export", io.qualitylake.batch.export.ExportJob::new);
        JOBS.put("manifests", io.qualitylake.batch.manifest.ManifestsJob::new); // --manifests does it per job
        JOBS.put("vacuum", io.qualitylake.batch.maintain.VacuumJob::new);
    }

    /** Tables several jobs of one run read: read once per version and cached for the run ({@link io.qualitylake.batch.lake.ReadCache}). */
    public static final java.util.Set<String> SHARED_READS;

    static {
        java.util.Set<String> s = new java.util.TreeSet<>();
        for (io.qualitylake.batch.silver.SilverTable t : List.of(io.qualitylake.batch.silver.SilverTable.PRODUCTION_UNITS,
                io.qualitylake.batch.silver.SilverTable.INSTALLS, io.qualitylake.batch.silver.SilverTable.FIELD_FAILURES,
                io.qualitylake.batch.silver.SilverTable.SPOT_CHECKS, io.qualitylake.batch.silver.SilverTable.DEFECTS)) {
            s.add("silver." + t.table());
        }
        for (io.qualitylake.batch.reference.Dimension d : io.qualitylake.batch.reference.Dimension.values()) {
            s.add("silver." + d.table());
        }
        SHARED_READS = java.util.Collections.unmodifiableSet(s);
    }

    /** Jobs that {@code all} leaves out: maintenance, scheduled on their own. */
    static final java.util.Set<String> NOT_IN_ALL = java.util.Set.of("manifests", "vacuum");

    @Parameters(index = "0", paramLabel = "JOB", description = "reference, silver, reliability, quality, capability, grading, benchmarks, suppliers, export, all, manifests, vacuum; "
            + "or list (each job's tables, whether it takes --as-of, what it does)")
    String job;

    @Option(names = "--lake", paramLabel = "DIR", description = "Lake root (local folder or s3a://, abfs://, hdfs:// URI).")
    String lake;

    @Option(names = "--as-of", paramLabel = "DATE", description = "UTC date: events before DATE+1 00:00Z count (default: the date of the latest event).")
    String asOf;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: local[*], or what spark-submit sets).")
    String master;

    @Option(names = "--reference", paramLabel = "DIR", description = "Folder of <dimension>.jsonl/.csv files for the reference job.")
    String reference;

    @Option(names = "--baseline-subgroups", paramLabel = "N",
            description = "capability: control limits from each characteristic's first N subgroups (default: 25).")
    Integer baselineSubgroups;

    @Option(names = "--rubric", paramLabel = "FILE",
            description = "grading: line-grade rubric JSON (default: the shipped SPEC rubric, see examples/rubrics/).")
    String rubric;

    @Option(names = "--levels", paramLabel = "FILE",
            description = "grading: enterprise capability-level thresholds JSON (default: the shipped SPEC levels).")
    String levels;

    @Option(names = "--method", paramLabel = "rubric|topsis",
            description = "grading: rubric (weighted anchor scores, default) or topsis (entropy-weight TOPSIS).")
    String method;

    @Option(names = "--skip-bad-rows",
            description = "reference: load the valid rows of a file with bad rows (each reported); entities already in the "
                    + "lake are kept. Without it, one bad row stops the job and nothing changes.")
    boolean skipBadRows;

    @Option(names = "--keep-runs", paramLabel = "N",
            description = "vacuum: keep every version written since the N-th latest run of each job (so --at-run works for them).")
    Integer keepRuns;

    @Option(names = "--retain-hours", paramLabel = "H",
            description = "vacuum: keep every version written in the last H hours (default: 168, Delta's default).")
    Double retainHours;

    @picocli.CommandLine.Mixin
    io.qualitylake.cli.KafkaOptions kafka = new io.qualitylake.cli.KafkaOptions();

    @Option(names = "--manifests", description = "Keep symlink manifests of the gold tables each job writes current "
            + "(for Trino, Presto, Athena, Hive; see docs/bi.md).")
    boolean manifests;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if ("list".equals(job)) {
            System.out.print(list());
            return 0;
        }
        if (lake == null) {
            throw new UserError("Missing required option: '--lake=DIR'");
        }
        List<String> run = plan();
        LocalDate date = parseDate(asOf);
        // bad options fail before Spark starts
        JobContext check = new JobContext(null, null, null, options());
        io.qualitylake.batch.capability.CapabilityJob.baseline(check);
        io.qualitylake.batch.grading.GradingJob.method(check);
        io.qualitylake.grading.Rubric.load(rubric);
        io.qualitylake.batch.grading.CapabilityLevels.load(levels);
        io.qualitylake.batch.maintain.VacuumJob.check(check);
        boolean onlyReference = run.equals(List.of("reference")); // may create the lake
        if (!onlyReference) {
            Lake.requireLocalLake(lake);
        }
        if (run.contains("reference")) {
            ReferenceJob.check(reference, skipBadRows);
        }
        SparkSession spark = SparkSessions.create(master, false);
        try {
            Lake l = onlyReference ? Lake.at(lake) : Lake.existing(lake, spark.sparkContext().hadoopConfiguration());
            if (!l.exists(spark.sparkContext().hadoopConfiguration(), "")) {
                org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(l.root());
                root.getFileSystem(spark.sparkContext().hadoopConfiguration()).mkdirs(root);
            }
            try (io.qualitylake.batch.lake.LakeLock lock = io.qualitylake.batch.lake.LakeLock.acquire(l,
                    spark.sparkContext().hadoopConfiguration(), "qlake batch " + job)) {
                return runJobs(spark, l, run, date);
            }
        } finally {
            spark.stop();
        }
    }

    private int runJobs(SparkSession spark, Lake l, List<String> run, LocalDate date) throws Exception {
        try (io.qualitylake.batch.lake.ReadCache cache = run.size() > 1 ? io.qualitylake.batch.lake.ReadCache.open(SHARED_READS) : null;
             io.qualitylake.batch.job.RunMemo memo = run.size() > 1 ? io.qualitylake.batch.job.RunMemo.open() : null) {
            JobRunner runner = new JobRunner(spark);
            int notBuilt = 0;
            for (String name : run) {
                Supplier<BatchJob> factory = JOBS.get(name);
                if (factory == null) {
                    System.err.println("qlake batch " + name + ": not built yet; skipped");
                    notBuilt++;
                    continue;
                }
                LocalDate effective = factory.get().needsAsOf() ? (date != null ? date : latestEventDate(spark, l)) : date;
                long t0 = System.nanoTime();
                System.err.printf("qlake batch %s: running%s ...%n", name, effective == null ? "" : " (as of " + effective + ")");
                BatchJob job = name.equals("export") && kafka.isSet()
                        ? new io.qualitylake.batch.export.ExportJob(kafka.clientProperties())
                        : name.equals("capability") && kafka.isSet()
                        ? new io.qualitylake.batch.capability.CapabilityJob(kafka.clientProperties()) : factory.get();
                JobContext ctx = runner.run(job, new JobContext(l, effective, reference, options()), String.join(" ", argsOf(name)));
                if (manifests) {
                    io.qualitylake.batch.manifest.Manifests.update(spark, l, ctx.rowsWritten().keySet());
                }
                System.out.printf("batch %s: done in %.1f s; rows written %s%s%n", name, (System.nanoTime() - t0) / 1e9,
                        summary(ctx.rowsWritten()), (ctx.notes().isEmpty() ? "" : "; " + notes(ctx.notes()))
                                + (ctx.steps().isEmpty() ? "" : "; steps: " + ctx.steps()));
            }
            return notBuilt > 0 && run.size() == 1 ? BatchCli.NOT_BUILT : 0;
        }
    }

    private Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        if (baselineSubgroups != null) {
            o.put(io.qualitylake.batch.capability.CapabilityJob.BASELINE_OPTION, String.valueOf(baselineSubgroups));
        }
        if (rubric != null) {
            o.put(io.qualitylake.batch.grading.GradingJob.RUBRIC_OPTION, rubric);
        }
        if (levels != null) {
            o.put(io.qualitylake.batch.grading.GradingJob.LEVELS_OPTION, levels);
        }
        if (method != null) {
            o.put(io.qualitylake.batch.grading.GradingJob.METHOD_OPTION, method);
        }
        if (skipBadRows) {
            o.put(ReferenceJob.SKIP_BAD_ROWS_OPTION, "true");
        }
        if (keepRuns != null) {
            o.put(io.qualitylake.batch.maintain.VacuumJob.KEEP_RUNS_OPTION, String.valueOf(keepRuns));
        }
        if (retainHours != null) {
            o.put(io.qualitylake.batch.maintain.VacuumJob.RETAIN_HOURS_OPTION, String.valueOf(retainHours));
        }
        return o;
    }

    /** "silver.dim_plants 3, silver.dim_lines 6" rather than a raw map. */
    public static String summary(Map<String, Long> rows) {
        return rows.isEmpty() ? "none" : String.join(", ", rows.entrySet().stream()
                .map(e -> e.getKey() + " " + String.format("%,d", e.getValue())).toList());
    }

    public static String notes(Map<String, String> notes) {
        return String.join("; ", notes.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    /** {@code qlake batch list}: the registry, one block per job in run order. */
    public static String list() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Supplier<BatchJob>> e : JOBS.entrySet()) {
            BatchJob j = e.getValue().get();
            b.append(String.format("%-12s %s%n", e.getKey(), j.summary()));
            b.append(String.format("%-12s   as_of: %s; in all: %s%n", "", j.needsAsOf() ? "yes (--as-of, default the latest event date)" : "no",
                    NOT_IN_ALL.contains(e.getKey()) ? "no" : e.getKey().equals("reference") ? "with --reference" : "yes"));
            if (!j.outputs().isEmpty()) {
                b.append(String.format("%-12s   writes: %s%n", "", String.join(", ", j.outputs())));
            }
        }
        return b.toString();
    }

    private List<String> plan() {
        if ("all".equals(job)) {
            List<String> all = new ArrayList<>(JOBS.keySet());
            all.removeAll(NOT_IN_ALL);
            if (reference == null) {
                all.remove("reference");
            }
            return all;
        }
        if (!JOBS.containsKey(job)) {
            throw new UserError("unknown job '" + job + "' (one of " + String.join(", ", JOBS.keySet()) + ", all; list shows them)");
        }
        return List.of(job);
    }

    private List<String> argsOf(String name) {
        List<String> a = new ArrayList<>(List.of(name, "--lake", lake));
        if (asOf != null) {
            a.addAll(List.of("--as-of", asOf));
        }
        if (reference != null) {
            a.addAll(List.of("--reference", reference));
        }
        options().forEach((k, v) -> a.addAll(k.equals(ReferenceJob.SKIP_BAD_ROWS_OPTION) ? List.of("--" + k) : List.of("--" + k, v)));
        if ((name.equals("export") || name.equals("capability")) && kafka.bootstrap != null) {
            a.addAll(List.of("--bootstrap", kafka.bootstrap));
        }
        return a;
    }

    static LocalDate parseDate(String text) {
        if (text == null) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(text);
            if (d.getYear() < 1970 || d.isAfter(LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1))) {
                throw new UserError("--as-of " + text + " is out of range (1970 to tomorrow)");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new UserError("--as-of '" + text + "' is not a date (yyyy-MM-dd)");
        }
    }

    /** SPEC §4 default: the date of the latest event in silver. */
    static LocalDate latestEventDate(SparkSession spark, Lake lake) {
        LocalDate latest = null;
        for (String t : List.of("production_units", "measurements", "installs", "field_failures")) {
            String path = lake.silver(t);
            if (Tables.exists(spark, path)) {
                Row r = spark.read().format("delta").load(path).agg(org.apache.spark.sql.functions.max("event_date")).head();
                if (!r.isNullAt(0)) {
                    LocalDate d = r.getDate(0).toLocalDate();
                    latest = latest == null || d.isAfter(latest) ? d : latest;
                }
            }
        }
        if (latest == null) {
            throw new UserError("no events in silver tables of " + lake.root() + " (run qlake batch silver first)");
        }
        return latest;
    }
}
