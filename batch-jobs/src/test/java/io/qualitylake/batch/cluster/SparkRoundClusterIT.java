package io.qualitylake.batch.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark round of the fault test on the real cluster, in the integration tier of {@code mvn verify} (skip it with
 * {@code -DskipClusterTests}). It lives in batch-jobs, the last module of the reactor, because {@code spark-submit}
 * takes batch-jobs' freshly packaged cluster jar; the cluster itself is driven through {@code bin/qlake}, as a user
 * would, with the streaming module's jars (built earlier in the same reactor; batch-jobs has no dependency on it).
 * {@code qlake cluster up} with Spark, one ingest round without faults on a small world (its bronze is the input),
 * then {@code --spark-round}: a clean {@code batch all}; a run that loses an executor and whose driver is SIGKILLed
 * while a gold table's Delta commit is open (data files written, no {@code _delta_log} entry yet); a rerun that loses
 * an executor too. The oracle for gold is the clean run on the same bronze (GoldDiff, every gold table row for row);
 * for bronze the simulator's truth. {@code cluster down} must leave no process alive.
 */
@DisabledIfSystemProperty(named = "skipClusterTests", matches = "true|")
class SparkRoundClusterIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String out) {}

    /** The project root: batch-jobs' parent (failsafe runs in the module folder). */
    private static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isExecutable(root.resolve("bin/qlake")), "no bin/qlake above " + Path.of("").toAbsolutePath());
        Path streaming = root.resolve("streaming-jobs/target/qlake-streaming-jobs-0.1.0-SNAPSHOT-cluster.jar");
        assertTrue(Files.isRegularFile(streaming), streaming + " is missing: run with the streaming module in the reactor "
                + "(mvn verify of the whole project, or -pl streaming-jobs,batch-jobs -am)");
        return root;
    }

    /** bin/qlake ARGS in its own JVM, stdin closed, stdout and stderr merged; its output is echoed to the test's. */
    private static Run qlake(Path root, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("bin/qlake").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        System.out.print("$ qlake " + String.join(" ", args) + "\n" + out);
        return new Run(exit, out);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void batchAllSurvivesExecutorAndMidCommitDriverKillsWithGoldEqualToACleanRun() throws Exception {
        Path root = root();
        String dir = tmp.resolve("cluster").toString();
        List<Long> pids = new ArrayList<>();
        try {
            Run up = qlake(root, "cluster", "up", "--dir", dir, "--base-port", "29200");
            assertEquals(0, up.exit(), up.out());
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.map(d -> d.resolve("pid")).filter(Files::exists).toList()) {
                    pids.add(Long.parseLong(Files.readString(p).trim()));
                }
            }
            assertEquals(9, pids.size(), "3 brokers, Flink JM + 2 TMs, Spark master + 2 workers: " + pids);

            Run ft = qlake(root, "fault-test", "--dir", dir, "--rounds", "1", "--faults-per-round", "0", "--plants", "2",
                    "--days", "5", "--publish-seconds", "15", "--spark-round", "--seed", "11");
            String run = ft.out().lines().filter(l -> l.startsWith("spark run 1:")).findFirst().orElse("");
            // the driver died with a gold commit open, and an executor died in each of the two runs
            assertTrue(run.contains(":mid-commit gold."), run);
            assertTrue(run.contains("executor-kill:pid") && run.contains("rerun-executor-kill:pid"), run);
            assertTrue(run.contains("rerun_exit=0 gold_identical=yes"), run);
            String total = ft.out().lines().filter(l -> l.startsWith("faults=")).findFirst().orElse("");
            assertTrue(total.startsWith("faults=3 lost=0 duplicated=0 gold_identical=yes"), ft.out());
            assertEquals(0, ft.exit(), ft.out());
        } finally {
            Run down = qlake(root, "cluster", "down", "--dir", dir);
            assertEquals(0, down.exit(), down.out());
        }
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "process " + pid + " outlived cluster down");
        }
    }
}
