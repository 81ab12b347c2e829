package io.qualitylake.streaming.ingest;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Everything the ingest job needs, immutable. Exactly one of {@code kafka} / {@code files} is set.
 *
 * @param lake             lake root: a local path or any Hadoop file-system URI
 * @param kafka            Kafka client properties (bootstrap, security, ...), or null for file mode
 * @param untilIdle        Kafka mode: stop once the offsets that were latest at start are ingested
 * @param startFrom        Kafka mode without committed offsets: "earliest" or "latest"
 * @param checkpointDir    where checkpoints go (and are kept on cancel, for restarts)
 * @param restoreFrom      a checkpoint or savepoint to restore, or null
 * @param restartAttempts  how often the job restarts itself (fixed delay 1 s) before it fails
 * @param sourceTopics     Kafka mode: the topics read, or null for the product's event topics
 *                         (a benchmark reads its own fresh topics)
 */
public record IngestOptions(String lake, Properties kafka, List<String> files, boolean untilIdle, String groupId,
                            String startFrom, Duration checkpointInterval, int parallelism, String stateBackend,
                            String checkpointDir, String restoreFrom, Duration maxOutOfOrderness,
                            Duration dedupeRetention, boolean quarantineTopic, int restartAttempts,
                            List<String> sourceTopics) implements Serializable {
    public static final int DEFAULT_RESTART_ATTEMPTS = 3;

    public IngestOptions(String lake, Properties kafka, List<String> files, boolean untilIdle, String groupId,
                         String startFrom, Duration checkpointInterval, int parallelism, String stateBackend,
                         String checkpointDir, String restoreFrom, Duration maxOutOfOrderness,
                         Duration dedupeRetention, boolean quarantineTopic, int restartAttempts) {
        this(lake, kafka, files, untilIdle, groupId, startFrom, checkpointInterval, parallelism, stateBackend, checkpointDir,
                restoreFrom, maxOutOfOrderness, dedupeRetention, quarantineTopic, restartAttempts, null);
    }

    public IngestOptions(String lake, Properties kafka, List<String> files, boolean untilIdle, String groupId,
                         String startFrom, Duration checkpointInterval, int parallelism, String stateBackend,
                         String checkpointDir, String restoreFrom, Duration maxOutOfOrderness,
                         Duration dedupeRetention, boolean quarantineTopic) {
        this(lake, kafka, files, untilIdle, groupId, startFrom, checkpointInterval, parallelism, stateBackend, checkpointDir,
                restoreFrom, maxOutOfOrderness, dedupeRetention, quarantineTopic, DEFAULT_RESTART_ATTEMPTS);
    }

    /**
     * Half the CPU cores, at least 1: each parallel slice of the job keeps two tasks busy (read +
     * parse + validate, and dedupe + Parquet), so this fills the machine without oversubscribing it.
     * (On 2 cores with the broker beside it, p=1 ingested as fast as p=2 with half the threads.)
     */
    public static int defaultParallelism() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** The same options reading {@code topics} instead of the product's event topics. */
    public IngestOptions withSourceTopics(List<String> topics) {
        return new IngestOptions(lake, kafka, files, untilIdle, groupId, startFrom, checkpointInterval, parallelism, stateBackend,
                checkpointDir, restoreFrom, maxOutOfOrderness, dedupeRetention, quarantineTopic, restartAttempts, List.copyOf(topics));
    }

    /** Kafka mode: the topics the job reads. */
    public List<String> topics() {
        return sourceTopics != null ? sourceTopics
                : List.of(io.qualitylake.schemas.Topic.PRODUCTION.topicName(), io.qualitylake.schemas.Topic.FIELD.topicName());
    }

    public boolean fileMode() {
        return files != null && !files.isEmpty();
    }
}
