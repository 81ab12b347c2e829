package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;

/** Waits until the cluster's parts serve: every broker in the Kafka cluster, every TaskManager and worker registered. */
final class ClusterReady {
    private ClusterReady() {}

    static void all(LocalCluster c, Instant deadline) {
        if (HdfsNodes.enabled(c.layout())) {
            HdfsNodes.await(c, deadline);
        }
        kafka(c, deadline);
        flink(c, deadline);
        if (c.layout().spark()) {
            await(c, null, deadline, "the Spark workers did not register with the master", () -> c.members().stream()
                    .filter(m -> m.kind().equals("spark-worker")).allMatch(m -> logContains(c, m, "Successfully registered with master")));
        }
    }

    /** All brokers are in the cluster's metadata. */
    static void kafka(LocalCluster c, Instant deadline) {
        try (Admin admin = c.admin()) {
            await(c, "kafka", deadline, "the Kafka brokers did not form a cluster", () -> {
                try {
                    return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).size() == c.layout().brokers();
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    /** The JobManager answers on REST and every TaskManager has registered. */
    static void flink(LocalCluster c, Instant deadline) {
        FlinkRest rest = new FlinkRest(c.layout().flinkRest());
        await(c, "flink", deadline, "the Flink TaskManagers did not register with the JobManager",
                () -> rest.taskManagers() == c.layout().taskManagers());
    }

    /**
     * The restarted TaskManager {@code resourceId} has registered anew (at an address other than {@code before}) and
     * every TaskManager is registered. Counting alone passes too early: right after the kill the JobManager still
     * counts the dead one until its heartbeat times out.
     */
    static void taskManagerBack(LocalCluster c, String resourceId, Optional<String> before, Instant deadline) {
        FlinkRest rest = new FlinkRest(c.layout().flinkRest());
        await(c, "flink", deadline, "TaskManager " + resourceId + " did not register again with the JobManager",
                () -> rest.taskManagers() == c.layout().taskManagers()
                        && rest.taskManagerPath(resourceId).filter(now -> before.isEmpty() || !now.equals(before.get())).isPresent());
    }

    static void port(LocalCluster c, Member m, Instant deadline) {
        await(c, m.name(), deadline, m.name() + " did not open port " + m.port(), () -> BackgroundProcess.accepts("localhost", m.port()));
    }

    private static boolean logContains(LocalCluster c, Member m, String text) {
        try {
            return Files.exists(c.log(m)) && Files.readString(c.log(m)).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls {@code ready}; fails at the deadline or as soon as a process of {@code prefix} has exited. */
    private static void await(LocalCluster c, String prefix, Instant deadline, String what, BooleanSupplier ready) {
        while (Instant.now().isBefore(deadline)) {
            if (ready.getAsBoolean()) {
                return;
            }
            for (Member m : c.members()) {
                if ((prefix == null || m.name().startsWith(prefix)) && Files.exists(c.layout().dir().resolve(m.name()).resolve("pid"))
                        && c.running(m).isEmpty()) {
                    throw new IllegalStateException(m.name() + " exited at start; see " + c.log(m));
                }
            }
            BackgroundProcess.sleepQuietly(500);
        }
        throw new IllegalStateException(what + " in time; logs in " + c.layout().dir() + "/*/process.log");
    }
}
