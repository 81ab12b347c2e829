package io.qualitylake.streaming.monitor;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Everything the monitor job needs, immutable.
 *
 * @param lake               lake root (bronze/alerts goes under it)
 * @param kafka              Kafka client properties, or null (file mode without a broker)
 * @param files              JSONL measurement files (file mode), or null for Kafka
 * @param untilIdle          Kafka mode: stop once the records on the topics at start are processed
 * @param alertsToKafka      also write alerts to qlake.alerts.v1 (needs {@code kafka})
 * @param grace              a subgroup short of its size is complete when the watermark passes its last measurement + this
 * @param idleExpiry         a characteristic without measurements for this long (event time) is forgotten
 * @param baselineSubgroups  self-started limits come from this many subgroups (the batch default: 25)
 * @param initialLimits      published limits known at start (key plant|line|characteristic)
 * @param topics             the measurement, limits and alert topics (the benchmark uses its own)
 */
public record MonitorOptions(String lake, Properties kafka, List<String> files, boolean untilIdle, String groupId,
                             String startFrom, boolean alertsToKafka, String transactionalIdPrefix,
                             Duration checkpointInterval, int parallelism, String stateBackend, String checkpointDir,
                             String restoreFrom, Duration maxOutOfOrderness, Duration grace, Duration idleExpiry,
                             int baselineSubgroups, MonitorRules rules, Map<String, PublishedLimits> initialLimits,
                             Topics topics) implements Serializable {
    /** Topic names; {@link #STANDARD} are the registry's. */
    public record Topics(String production, String limits, String alerts) implements Serializable {}

    public static final Topics STANDARD = new Topics(io.qualitylake.schemas.Topic.PRODUCTION.topicName(),
            io.qualitylake.schemas.Topic.CONTROL_LIMITS.topicName(), io.qualitylake.schemas.Topic.ALERTS.topicName());

    public boolean fileMode() {
        return files != null && !files.isEmpty();
    }
}
