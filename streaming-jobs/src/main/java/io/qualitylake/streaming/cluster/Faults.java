package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import io.qualitylake.schemas.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartitionInfo;

/** The faults the fault test injects into the running cluster, each followed by what an operator (or Flink) does to recover. */
final class Faults {
    enum Kind {
        /** SIGKILL one TaskManager, start it again; Flink restarts the job from its latest checkpoint. */
        TASKMANAGER_KILL("taskmanager-kill"),
        /** SIGKILL the broker leading a partition of qlake.production.v1, start it again. */
        LEADER_RESTART("leader-restart"),
        /** SIGKILL the JobManager (no HA), start it again and resubmit the job from its latest retained checkpoint. */
        JOBMANAGER_KILL("jobmanager-kill");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * How long a restarted process may take to rejoin. A JVM started on a busy 2-core machine (CI runs this beside
     * nothing else, yet the cluster's six JVMs share the cores) can take well over a minute; a slow recovery is not
     * loss, so this is generous, and a process still missing after it fails the round.
     */
    static final Duration RECOVERY = Duration.ofSeconds(240);

    private final LocalCluster cluster;
    private final Random random;

    Faults(LocalCluster cluster, Random random) {
        this.cluster = cluster;
        this.random = random;
    }

    /** Injects the fault and brings the killed process back; returns what was hit. JobManager recovery (resubmit) is the caller's. */
    String inject(Kind kind, String jobId) {
        return switch (kind) {
            case TASKMANAGER_KILL -> {
                // one that runs tasks of the job: killing an idle TaskManager would test nothing
                FlinkRest rest = new FlinkRest(cluster.layout().flinkRest());
                List<String> busy = List.copyOf(rest.taskManagersOf(jobId));
                String id = busy.isEmpty() ? "tm-" + (1 + random.nextInt(cluster.layout().taskManagers()))
                        : busy.get(random.nextInt(busy.size()));
                Member tm = cluster.member("flink-taskmanager-" + id.substring(id.lastIndexOf('-') + 1));
                Optional<String> before = rest.taskManagerPath(id);
                restart(tm, Duration.ofSeconds(1));
                ClusterReady.taskManagerBack(cluster, id, before, Instant.now().plus(RECOVERY));
                yield tm.name();
            }
            case LEADER_RESTART -> {
                Member broker = cluster.member("kafka-" + leaderOfRandomPartition());
                restart(broker, Duration.ofSeconds(3));
                ClusterReady.kafka(cluster, Instant.now().plus(RECOVERY));
                yield broker.name();
            }
            case JOBMANAGER_KILL -> {
                Member jm = cluster.member("flink-jobmanager");
                restart(jm, Duration.ofSeconds(1));
                ClusterReady.flink(cluster, Instant.now().plus(RECOVERY));
                yield jm.name();
            }
        };
    }

    private void restart(Member m, Duration down) {
        cluster.kill(m);
        BackgroundProcess.sleepQuietly(down.toMillis());
        cluster.start(m);
    }

    private int leaderOfRandomPartition() {
        try (Admin admin = cluster.admin()) {
            List<TopicPartitionInfo> parts = admin.describeTopics(List.of(Topic.PRODUCTION.topicName())).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(Topic.PRODUCTION.topicName()).partitions();
            TopicPartitionInfo p = parts.get(random.nextInt(parts.size()));
            if (p.leader() == null) {
                throw new IllegalStateException("partition " + p.partition() + " of " + Topic.PRODUCTION.topicName() + " has no leader");
            }
            return p.leader().id();
        } catch (Exception e) {
            throw new IllegalStateException("cannot find a partition leader: " + e.getMessage(), e);
        }
    }
}
