package io.qualitylake.streaming.monitor;

import io.qualitylake.cli.UserError;
import io.qualitylake.schemas.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compacted topic qlake.control-limits.v1 outside Flink: created compacted when missing, and read
 * once to its end before the job starts, so the first subgroups are judged against published limits
 * rather than self-starting while the broadcast catches up. Also reads a file of limits rows.
 */
public final class LimitsTopic {
    private static final Logger LOG = LoggerFactory.getLogger(LimitsTopic.class);

    private LimitsTopic() {}

    /** What a read found: the latest valid limits per key, and how many messages were skipped as invalid. */
    public record Read(Map<String, PublishedLimits> limits, long invalid) {}

    public static void ensureCompacted(Properties client, int partitions) {
        try (Admin admin = Admin.create(client)) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(Topic.CONTROL_LIMITS.topicName())) {
                return;
            }
            NewTopic t = new NewTopic(Topic.CONTROL_LIMITS.topicName(), Optional.of(partitions), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact"));
            admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new UserError("cannot create " + Topic.CONTROL_LIMITS.topicName() + " at "
                        + client.getProperty("bootstrap.servers") + ": " + e.getCause().getMessage(), e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new UserError("cannot reach Kafka at " + client.getProperty("bootstrap.servers"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Every message from the beginning to the end offsets at the time of the call; the last one per key wins. */
    public static Read read(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<String, PublishedLimits> out = new HashMap<>();
        long invalid = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(Topic.CONTROL_LIMITS.topicName(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        if (r.key() != null) {
                            out.remove(new String(r.key(), java.nio.charset.StandardCharsets.UTF_8)); // tombstone
                        }
                        continue;
                    }
                    try {
                        PublishedLimits l = PublishedLimits.parse(r.value());
                        out.put(l.key(), l);
                    } catch (IllegalArgumentException e) {
                        invalid++;
                        LOG.warn("skipped an invalid message on {} (partition {}, offset {}): {}",
                                Topic.CONTROL_LIMITS.topicName(), r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        }
        return new Read(out, invalid);
    }

    /** A JSONL file of control_limits rows; a bad line is a one-line {@link UserError} naming it. */
    public static Map<String, PublishedLimits> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UserError("cannot read --limits file " + file);
        }
        Map<String, PublishedLimits> out = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                PublishedLimits l = PublishedLimits.parse(lines.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.put(l.key(), l);
            } catch (IllegalArgumentException e) {
                throw new UserError("--limits file " + file + " line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }
}
