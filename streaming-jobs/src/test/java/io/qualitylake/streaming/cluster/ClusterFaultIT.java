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
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing, in the integration tier of {@code mvn verify} (skip it with {@code -DskipClusterTests}): failsafe
 * runs it after {@code package}, because the cluster runs the freshly built cluster jar.
 * {@code qlake cluster up} (Kafka 3 brokers + Flink JM + 2 TMs, no Spark) in a temp folder, one round of
 * {@code qlake fault-test} with each kind of fault once (TaskManager SIGKILL, partition leader crash, JobManager
 * SIGKILL + resubmit from the latest checkpoint) on a small world; the oracle is the simulator's truth (every
 * event_id it sent, its duplicate and malformed counts), not the ingest job. Then {@code cluster down} must leave
 * no process of the cluster alive. A round that does not finish (the harness gave up waiting for a recovering
 * process) proves nothing either way: the test prints why and runs one more round on a fresh cluster.
 */
@DisabledIfSystemProperty(named = "skipClusterTests", matches = "true|")
class ClusterFaultIT {
    @TempDir
    Path tmp;

    private record Run(int exit, String out) {}

    /** Runs a qlake command in this JVM; its stdout and stderr, interleaved, are the run's output (so a failure shows why). */
    private static Run qlake(String... args) {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int exit = Cli.commandLine(new StreamingCli(), args).execute(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            System.out.print(buf.toString(StandardCharsets.UTF_8));
        }
    }

    /**
     * --verbose output without the engines' INFO and DEBUG lines (and the client configs they dump, and blank lines):
     * the command's own lines, warnings, errors and stack traces.
     */
    private static String withoutEngineChatter(String out) {
        return String.join("\n", out.lines().filter(l -> !l.isBlank() && !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d+ (INFO|DEBUG) .*")
                && !l.matches("\t[\\w.]+ = .*")).toList());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void ingestSurvivesEachKindOfFaultWithNothingLostOrDuplicated() throws Exception {
        Run ft = roundOnAFreshCluster("cluster");
        if (ft.out().lines().noneMatch(l -> l.startsWith("round 1:"))) {
            // The round did not finish: the harness gave up (a process that did not rejoin in Faults.RECOVERY, a
            // submission the CLI kept refusing), which says nothing about loss or duplicates. Say why, then one more
            // round on a fresh cluster. A round that finishes with anything lost or duplicated fails at once.
            System.out.println("ClusterFaultIT: the round did not finish; once more on a fresh cluster. It said:\n"
                    + withoutEngineChatter(ft.out()));
            ft = roundOnAFreshCluster("cluster-again");
        }
        String said = withoutEngineChatter(ft.out());
        String total = ft.out().lines().filter(l -> l.startsWith("faults=")).findFirst().orElse("");
        assertTrue(total.startsWith("faults=3 lost=0 duplicated=0"), said);
        String round = ft.out().lines().filter(l -> l.startsWith("round 1:")).findFirst().orElse("");
        // each kind once, and the world arrived exactly: quarantined and dropped duplicates equal the planted counts
        assertTrue(round.contains("taskmanager-kill") && round.contains("leader-restart") && round.contains("jobmanager-kill"), round);
        assertTrue(round.matches(".*quarantined=([0-9,]+)/\\1 duplicates_dropped=([0-9,]+)/\\2 lost=0 duplicated=0 unexpected=0.*"), round);
        assertEquals(0, ft.exit(), said);
    }

    /** cluster up in tmp/NAME, one fault-test round, cluster down; asserts the cluster's six processes started and all stopped. */
    private Run roundOnAFreshCluster(String name) throws Exception {
        String dir = tmp.resolve(name).toString();
        List<Long> pids = new ArrayList<>();
        Run ft;
        try {
            Run up = qlake("cluster", "up", "--no-spark", "--dir", dir, "--base-port", "29000");
            assertEquals(0, up.exit(), up.out());
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.map(d -> d.resolve("pid")).filter(Files::exists).toList()) {
                    pids.add(Long.parseLong(Files.readString(p).trim()));
                }
            }
            assertEquals(6, pids.size(), "3 brokers, a JobManager and 2 TaskManagers: " + pids);
            ft = qlake("fault-test", "--dir", dir, "--rounds", "1", "--faults-per-round", "3", "--plants", "2",
                    "--days", "5", "--publish-seconds", "20", "--verbose");
        } finally {
            Run down = qlake("cluster", "down", "--dir", dir);
            assertEquals(0, down.exit(), down.out());
        }
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "process " + pid + " outlived cluster down");
        }
        assertEquals(3, qlake("cluster", "status", "--dir", dir).exit(), "status after down: nothing alive");
        return ft;
    }
}
