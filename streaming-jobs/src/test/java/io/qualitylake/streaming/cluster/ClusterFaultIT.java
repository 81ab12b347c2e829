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
 * no process of the cluster alive.
 */
@DisabledIfSystemProperty(named = "skipClusterTests", matches = "true|")
class ClusterFaultIT {
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
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void ingestSurvivesEachKindOfFaultWithNothingLostOrDuplicated() throws Exception {
        String dir = tmp.resolve("cluster").toString();
        List<Long> pids = new ArrayList<>();
        try {
            Run up = qlake("cluster", "up", "--no-spark", "--dir", dir, "--base-port", "29000");
            assertEquals(0, up.exit(), up.out());
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                for (Path p : s.map(d -> d.resolve("pid")).filter(Files::exists).toList()) {
                    pids.add(Long.parseLong(Files.readString(p).trim()));
                }
            }
            assertEquals(6, pids.size(), "3 brokers, a JobManager and 2 TaskManagers: " + pids);

            Run ft = qlake("fault-test", "--dir", dir, "--rounds", "1", "--faults-per-round", "3", "--plants", "2",
                    "--days", "5", "--publish-seconds", "20");
            String total = ft.out().lines().filter(l -> l.startsWith("faults=")).findFirst().orElse("");
            assertTrue(total.startsWith("faults=3 lost=0 duplicated=0"), ft.out());
            String round = ft.out().lines().filter(l -> l.startsWith("round 1:")).findFirst().orElse("");
            // each kind once, and the world arrived exactly: quarantined and dropped duplicates equal the planted counts
            assertTrue(round.contains("taskmanager-kill") && round.contains("leader-restart") && round.contains("jobmanager-kill"), round);
            assertTrue(round.matches(".*quarantined=([0-9,]+)/\\1 duplicates_dropped=([0-9,]+)/\\2 lost=0 duplicated=0 unexpected=0.*"), round);
            assertEquals(0, ft.exit(), ft.out());
        } finally {
            Run down = qlake("cluster", "down", "--dir", dir);
            assertEquals(0, down.exit(), down.out());
        }
        for (long pid : pids) {
            assertTrue(ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true), "process " + pid + " outlived cluster down");
        }
        assertEquals(3, qlake("cluster", "status", "--dir", dir).exit(), "status after down: nothing alive");
    }
}
