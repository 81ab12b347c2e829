package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code qlake batch capability --bootstrap}: each characteristic's current limits to the compacted
 * topic qlake.control-limits.v1 (SPEC §3), key {@code plant_id|line_id|characteristic_id}, value the
 * control_limits row as JSON (Spark's own JSON of the row). A characteristic whose baseline gave no
 * limits gets a tombstone, so the streaming monitor drops limits it may hold and self-starts instead.
 */
public final class ControlLimitsFeed {
    private ControlLimitsFeed() {}

    /** A record to send: its key and JSON value (null = tombstone). */
    public record Message(String key, String value) {}

    /** One message per characteristic (collected: one small row per characteristic). */
    public static List<Message> messages(Dataset<Row> limits) {
        List<Message> out = new ArrayList<>();
        for (Row r : limits.select(concat_ws("|", col("plant_id"), col("line_id"), col("characteristic_id")).as("key"),
                when(col("chart").isNull(), lit(null).cast("string"))
                        .otherwise(to_json(struct(java.util.Arrays.stream(limits.columns())
                                .map(org.apache.spark.sql.functions::col).toArray(org.apache.spark.sql.Column[]::new))))
                        .as("value"))
                .collectAsList()) {
            out.add(new Message(r.getString(0), r.isNullAt(1) ? null : r.getString(1)));
        }
        return out;
    }

    /** Sends the messages (idempotent producer, acks=all), creating the topic compacted if missing; returns how many. */
    public static int publish(Properties kafka, List<Message> messages) {
        ensureTopic(kafka);
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (Message m : messages) {
                producer.send(new ProducerRecord<>(Topic.CONTROL_LIMITS.topicName(), m.key(), m.value()));
            }
            producer.flush();
        } catch (RuntimeException e) {
            throw new IllegalStateException("publishing control limits to " + kafka.getProperty("bootstrap.servers")
                    + " failed: " + e.getMessage(), e);
        }
        return messages.size();
    }

    private static void ensureTopic(Properties kafka) {
        try (Admin admin = Admin.create(kafka)) {
            admin.createTopics(List.of(new NewTopic(Topic.CONTROL_LIMITS.topicName(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + Topic.CONTROL_LIMITS.topicName() + ": "
                        + e.getCause().getMessage(), e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + kafka.getProperty("bootstrap.servers"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + Topic.CONTROL_LIMITS.topicName(), e);
        }
    }
}
