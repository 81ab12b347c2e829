package io.qualitylake.streaming.cluster;

import io.qualitylake.ingestion.simulate.ReferenceWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Spark round of the fault test: {@code batch all} through spark-submit on the standalone cluster over the
 * bronze the ingest rounds wrote, on two copies: once clean; on the other, a run whose driver is SIGKILLed mid-run
 * (between or inside table commits), then the rerun, which loses an executor JVM (SIGKILL) on the way. Every gold
 * table of the faulted lake must equal the clean one ({@code io.qualitylake.batch.maintain.GoldDiff}).
 */
final class SparkRound {
    record Result(List<String> faults, double cleanSeconds, int rerunExit, boolean goldIdentical, String diff) {
        String line() {
            return String.format("spark round: faults=%d [%s] clean_run=%.0f s rerun_exit=%d gold_identical=%s (%s)",
                    faults.size(), String.join(", ", faults), cleanSeconds, rerunExit, goldIdentical ? "yes" : "no", diff);
        }
    }

    private final SparkSubmitter spark;
    private final PlantedWorld world;
    private final Path work;

    SparkRound(SparkSubmitter spark, PlantedWorld world, Path work) {
        this.spark = spark;
        this.work = work;
        this.world = world;
    }

    /** {@code bronze}: the bronze folder of a finished ingest round (a local lake). */
    Result run(Path bronze, Random random) throws Exception {
        Path reference = work.resolve("reference");
        ReferenceWriter.write(world.world, reference);
        String asOf = world.config.end().minusDays(1).toString();
        Path clean = lakeWithBronze("clean", bronze);
        Path faulted = lakeWithBronze("faulted", bronze);
        List<String> faults = new ArrayList<>();

        long t0 = System.nanoTime();
        int exit = batchAll(clean, reference, asOf, "clean").waitFor();
        double cleanSeconds = (System.nanoTime() - t0) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException("the clean batch run failed (exit " + exit + "); see " + work.resolve("clean.log"));
        }
        // the driver dies wherever it is (between or inside table commits), then the run is repeated
        Process p = batchAll(faulted, reference, asOf, "driver-kill");
        long killAt = (long) (cleanSeconds * 1000 * (0.15 + 0.5 * random.nextDouble()));
        if (!p.waitFor(killAt, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            faults.add(String.format("driver-kill@%.0fs", killAt / 1000.0));
        } else {
            faults.add("driver-kill(missed: run ended first)");
        }
        // the rerun loses an executor on the way: Spark runs its tasks again elsewhere
        p = batchAll(faulted, reference, asOf, "rerun-executor-kill");
        faults.add("executor-kill:" + killExecutorAfter(p, (long) (cleanSeconds * 1000 * (0.2 + 0.4 * random.nextDouble()))));
        int rerunExit = p.waitFor();

        Path log = work.resolve("gold-diff.log");
        int d = spark.start("io.qualitylake.batch.maintain.GoldDiff", List.of(clean.toString(), faulted.toString()), log).waitFor();
        String verdict = Files.readAllLines(log).stream().filter(l -> l.startsWith("gold_identical=")).findFirst()
                .orElse("gold_identical=unknown (see " + log + ")");
        return new Result(faults, cleanSeconds, rerunExit, d == 0 && rerunExit == 0, verdict);
    }

    private Process batchAll(Path lake, Path reference, String asOf, String name) throws IOException {
        return spark.start("io.qualitylake.batch.BatchCli", List.of("batch", "all", "--lake", lake.toString(), "--reference",
                reference.toString(), "--as-of", asOf), work.resolve(name + ".log"));
    }

    /** Waits, then SIGKILLs one executor JVM of the running application (waiting for one to exist). */
    private String killExecutorAfter(Process driver, long millis) throws InterruptedException {
        if (driver.waitFor(millis, TimeUnit.MILLISECONDS)) {
            return "missed (run ended first)";
        }
        for (int i = 0; i < 120 && driver.isAlive(); i++) {
            List<ProcessHandle> execs = spark.executors();
            if (!execs.isEmpty()) {
                ProcessHandle e = execs.get(0);
                e.destroyForcibly();
                return String.format("pid %d@%.0fs", e.pid(), millis / 1000.0);
            }
            Thread.sleep(500);
        }
        return "missed (no executor)";
    }

    private Path lakeWithBronze(String name, Path bronze) throws IOException {
        Path lake = work.resolve(name);
        Path target = lake.resolve("bronze");
        try (Stream<Path> s = Files.walk(bronze)) {
            for (Path f : s.toList()) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f) && (n.startsWith(".") || n.startsWith("_"))) {
                    continue; // in-progress files are not part of the lake
                }
                Path to = target.resolve(bronze.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return lake;
    }
}
