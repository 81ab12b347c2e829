package io.qualitylake.streaming.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.Cli;
import io.qualitylake.streaming.StreamingCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark round of the fault test on the real cluster, opt-in and slow (the same command through bin/qlake took
 * 31 min at load 17-22: a clean {@code batch all} of ~10 min, a killed run of ~7, a rerun of ~9, whose time is Spark
 * and Delta fixed costs, not data; as a Maven test it has not been timed yet):
 * {@code mvn -B -Pcluster -pl streaming-jobs -am verify -Dtest=SparkRoundClusterIT -Dsurefire.failIfNoSpecifiedTests=false}.
 * {@code qlake cluster up} with Spark, one ingest round without faults on a small world (its bronze is the input),
 * then {@code --spark-round}: a clean {@code batch all}; a run that loses an executor and whose driver is SIGKILLed
 * while a gold table's Delta commit is open (data files written, no {@code _delta_log} entry yet); a rerun that loses
 * an executor too. The oracle for gold is the clean run on the same bronze (GoldDiff, every gold table row for row);
 * for bronze the simulator's truth. {@code cluster down} must leave no process alive.
 */
@EnabledIfSystemProperty(named = "qlake.cluster.test", matches = "true")
class SparkRoundClusterIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String out) {}

    private static Run qlake(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = Cli.commandLine(new StreamingCli(), args).execute(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.out.print(buf.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void batchAllSurvivesExecutorAndMidCommitDriverKillsWithGoldEqualToACleanRun() throws Exception {
        String dir = tmp.resolve("cluster").toString();
        List<Long> pids = new ArrayList<>();
        try {
            Run up = qlake("cluster", "up", "--dir", dir, "--base-port", "29200");
            assertEquals(0, up.exit(), up.out());
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.map(d -> d.resolve("pid")).filter(Files::exists).toList()) {
                    pids.add(Long.parseLong(Files.readString(p).trim()));
                }
            }
            assertEquals(9, pids.size(), "3 brokers, Flink JM + 2 TMs, Spark master + 2 workers: " + pids);

            Run ft = qlake("fault-test", "--dir", dir, "--rounds", "1", "--faults-per-round", "0", "--plants", "2",
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
            Run down = qlake("cluster", "down", "--dir", dir);
            assertEquals(0, down.exit(), down.out());
        }
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "process " + pid + " outlived cluster down");
        }
    }
}
