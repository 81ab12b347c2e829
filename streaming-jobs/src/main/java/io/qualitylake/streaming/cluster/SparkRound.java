package io.qualitylake.streaming.cluster;

import io.qualitylake.ingestion.simulate.ReferenceWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark round of the fault test: {@code batch all} through spark-submit on the standalone cluster over the
 * bronze the ingest rounds wrote. Once clean; then, per faulted run, on a fresh copy of the same bronze: a run that
 * loses an executor JVM (SIGKILL) once its tasks run and whose driver is SIGKILLed in the middle of a gold table's
 * Delta commit ({@link CommitWatch}: data files written, no {@code _delta_log} entry yet), then the rerun, which loses
 * an executor too. Every gold table of the faulted lake must equal the clean one
 * ({@code io.qualitylake.batch.maintain.GoldDiff}).
 */
final class SparkRound {
    /** One faulted run: what was hit, the rerun's time and exit, the gold verdict, and what Spark did about it. */
    record Run(int index, List<String> faults, double firstSeconds, double rerunSeconds, int rerunExit, boolean goldIdentical,
               String verdict, String recovery) {
        String line() {
            return String.format("spark run %d: faults=%d [%s] killed_after=%.0f s rerun=%.0f s rerun_exit=%d %s; %s", index,
                    faults.size(), String.join(", ", faults), firstSeconds, rerunSeconds, rerunExit, verdict, recovery);
        }
    }

    record Result(List<Run> runs, double cleanSeconds, String cleanJobs) {
        String line() {
            return String.format("spark round: faults=%d clean_run=%.0f s (%s) gold_identical=%s", faults(), cleanSeconds, cleanJobs,
                    goldIdentical() ? "yes" : "no");
        }

        int faults() {
            return runs.stream().mapToInt(r -> r.faults().size()).sum();
        }

        boolean goldIdentical() {
            return !runs.isEmpty() && runs.stream().allMatch(Run::goldIdentical);
        }
    }

    private static final Pattern JOB_DONE = Pattern.compile("^batch (\\S+): done in ([0-9.]+) s");
    private final SparkSubmitter spark;
    private final PlantedWorld world;
    private final Path work;
    private final String lakes;

    /** {@code work}: a local folder for logs and the reference files; {@code lakes}: where the lake copies go (file: or hdfs:). */
    SparkRound(SparkSubmitter spark, PlantedWorld world, Path work, String lakes) {
        this.spark = spark;
        this.work = work;
        this.world = world;
        this.lakes = lakes;
    }

    /** {@code bronze}: the bronze folder of a finished ingest round (file: or hdfs:); {@code runs} faulted runs. */
    Result run(String bronze, Random random, int runs) throws Exception {
        Path reference = work.resolve("reference");
        ReferenceWriter.write(world.world, reference);
        String asOf = world.config.end().minusDays(1).toString();
        Files.createDirectories(work);
        String clean = lakeWithBronze("clean", bronze);

        long t0 = System.nanoTime();
        int exit = batchAll(clean, reference, asOf, "clean").waitFor();
        double cleanSeconds = (System.nanoTime() - t0) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("the clean batch run failed (exit " + exit + "); see " + work.resolve("clean.log"));
        }
        String jobs = jobTimes(work.resolve("clean.log"), cleanSeconds);
        System.out.printf("spark round: clean batch all %.0f s (%s)%n", cleanSeconds, jobs);
        int goldTables = new CommitWatch(clean).committedTables();
        List<Run> out = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Run r = faulted(i, clean, bronze, reference, asOf, cleanSeconds, goldTables, random);
            System.out.println(r.line());
            out.add(r);
        }
        return new Result(out, cleanSeconds, jobs);
    }

    private Run faulted(int i, String clean, String bronze, Path reference, String asOf, double cleanSeconds, int goldTables,
                        Random random) throws Exception {
        String lake = lakeWithBronze("faulted-" + i, bronze);
        List<String> faults = new ArrayList<>();
        // the first run: an executor dies once tasks run; the driver dies inside the commit of the k-th gold table
        String first = "faulted-" + i + "-first";
        long t0 = System.nanoTime();
        Process p = batchAll(lake, reference, asOf, first);
        long executorKillAt = System.currentTimeMillis() + (long) (1000 * cleanSeconds * (0.05 + 0.2 * random.nextDouble()));
        int k = random.nextInt(Math.max(1, Math.min(goldTables, 6)));
        CommitWatch watch = new CommitWatch(lake);
        boolean executorKilled = false;
        String driverKill = null;
        while (p.isAlive()) {
            if (!executorKilled && System.currentTimeMillis() >= executorKillAt) {
                Optional<String> e = killExecutor();
                if (e.isPresent()) {
                    faults.add("executor-kill:" + e.get() + String.format("@%.0fs", (System.nanoTime() - t0) / 1e9));
                    executorKilled = true;
                }
            }
            Optional<CommitWatch.Window> w = watch.openCommit();
            if (w.isPresent() && w.get().goldCommits() >= k) {
                p.destroyForcibly(); // SIGKILL of the driver (client mode: the spark-submit JVM is the driver)
                p.waitFor();
                boolean open = watch.stillOpen(w.get());
                driverKill = String.format("driver-kill@%.0fs:%s gold.%s (%d data files, %d gold tables committed before)",
                        (System.nanoTime() - t0) / 1e9, open ? "mid-commit" : "commit-landed", w.get().table(),
                        w.get().dataFiles(), w.get().goldCommits());
                break;
            }
            Thread.sleep(20);
        }
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        if (driverKill != null) {
            faults.add(driverKill);
        } else {
            faults.add("driver-kill:missed (the run ended first, exit " + p.exitValue() + ")");
        }
        // the rerun must finish the work; it loses an executor on the way too
        String rerunName = "faulted-" + i + "-rerun";
        long t1 = System.nanoTime();
        p = batchAll(lake, reference, asOf, rerunName);
        long rerunKillAt = System.currentTimeMillis() + (long) (1000 * cleanSeconds * (0.05 + 0.15 * random.nextDouble()));
        boolean rerunExecutorKilled = false;
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            if (!rerunExecutorKilled && System.currentTimeMillis() >= rerunKillAt) {
                Optional<String> e = killExecutor();
                if (e.isPresent()) {
                    faults.add("rerun-executor-kill:" + e.get() + String.format("@%.0fs", (System.nanoTime() - t1) / 1e9));
                    rerunExecutorKilled = true;
                }
            }
        }
        int rerunExit = p.exitValue();
        double rerunSeconds = (System.nanoTime() - t1) / 1e9;

        Path log = work.resolve("gold-diff-" + i + ".log");
        int d = spark.start("io.qualitylake.batch.maintain.GoldDiff", List.of(clean, lake), log).waitFor();
        String verdict = Files.readAllLines(log).stream().filter(l -> l.startsWith("gold_identical=")).findFirst()
                .orElse("gold_identical=unknown (see " + log + ")");
        String recovery = "first run: " + recovery(work.resolve(first + ".log")) + "; rerun: " + recovery(work.resolve(rerunName + ".log"))
                + " (" + jobTimes(work.resolve(rerunName + ".log"), rerunSeconds) + ")";
        List<String> hits = faults.stream().filter(f -> !f.contains("missed")).toList();
        if (hits.size() < faults.size()) {
            recovery += "; not counted: " + String.join(", ", faults.stream().filter(f -> f.contains("missed")).toList());
        }
        return new Run(i, hits, firstSeconds, rerunSeconds, rerunExit, d == 0 && rerunExit == 0, verdict, recovery);
    }

    /** SIGKILLs one executor JVM of the running application, if one runs. */
    private Optional<String> killExecutor() {
        List<ProcessHandle> execs = spark.executors();
        if (execs.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle e = execs.get(0);
        e.destroyForcibly();
        return Optional.of("pid " + e.pid());
    }

    /** What the driver log says Spark did about lost executors: executors lost and added, tasks lost and stages resubmitted. */
    static String recovery(Path log) throws IOException {
        if (!Files.isRegularFile(log)) {
            return "no log";
        }
        List<String> lines = Files.readAllLines(log);
        return String.format("executors lost %d, added %d, tasks lost %d, stages resubmitted %d",
                count(lines, "Lost executor"), count(lines, "Granted executor ID"), count(lines, "Lost task"),
                count(lines, "Resubmitting"));
    }

    private static long count(List<String> lines, String what) {
        return lines.stream().filter(l -> l.contains(what)).count();
    }

    /** Each job's time from {@code batch JOB: done in S s}, and the rest (JVM and SparkContext start-up, stop). */
    static String jobTimes(Path log, double totalSeconds) throws IOException {
        List<String> parts = new ArrayList<>();
        double sum = 0;
        for (String l : Files.readAllLines(log)) {
            Matcher m = JOB_DONE.matcher(l);
            if (m.find()) {
                parts.add(m.group(1) + " " + Math.round(Double.parseDouble(m.group(2))));
                sum += Double.parseDouble(m.group(2));
            }
        }
        parts.add(String.format("start-up+stop %.0f", totalSeconds - sum));
        return String.join(", ", parts) + " s";
    }

    private Process batchAll(String lake, Path reference, String asOf, String name) throws IOException {
        return spark.start("io.qualitylake.batch.BatchCli", List.of("batch", "all", "--lake", lake, "--reference",
                reference.toString(), "--as-of", asOf), work.resolve(name + ".log"));
    }

    /** A fresh lake LAKES/NAME holding a copy of the committed bronze files (in-progress and hidden files left out). */
    private String lakeWithBronze(String name, String bronze) throws IOException {
        String lake = lakes + "/" + name;
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        org.apache.hadoop.fs.Path from = new org.apache.hadoop.fs.Path(bronze);
        org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(lake + "/bronze");
        org.apache.hadoop.fs.FileSystem src = from.getFileSystem(conf);
        org.apache.hadoop.fs.FileSystem dst = to.getFileSystem(conf);
        dst.delete(new org.apache.hadoop.fs.Path(lake), true);
        String root = src.makeQualified(from).toString();
        org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it = src.listFiles(from, true);
        while (it.hasNext()) {
            org.apache.hadoop.fs.Path f = it.next().getPath();
            String rel = f.toString().substring(root.length() + 1);
            if (java.util.Arrays.stream(rel.split("/")).anyMatch(part -> part.startsWith(".") || part.startsWith("_"))) {
                continue; // in-progress files and checksums are not part of the lake
            }
            org.apache.hadoop.fs.FileUtil.copy(src, f, dst, new org.apache.hadoop.fs.Path(to, rel), false, conf);
        }
        return lake;
    }
}
