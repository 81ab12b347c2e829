package io.qualitylake.ingestion.sink;

import io.qualitylake.schemas.Topic;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends records to their topic with an idempotent producer (acks=all, no reordering on retry),
 * keyed per SPEC §2. The first send failure is rethrown on the next send or on close.
 */
public final class KafkaSink implements EventSink {
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acked = new AtomicLong();

    public KafkaSink(Properties client) {
        this.producer = new KafkaProducer<>(producerProperties(client), new StringSerializer(), new ByteArraySerializer());
    }

    /** Client properties plus QualityLake's producer defaults; the user's file wins where it sets a key. */
    public static Properties producerProperties(Properties client) {
        Properties p = new Properties();
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 * 1024));
        p.setProperty(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        p.putAll(client);
        return p;
    }

    @Override
    public void send(Topic topic, String key, byte[] value) {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
        producer.send(new ProducerRecord<>(topic.topicName(), key, value), (md, ex) -> {
            if (ex != null) {
                failure.compareAndSet(null, ex);
            } else {
                acked.incrementAndGet();
            }
        });
    }

    public long acked() {
        return acked.get();
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }
}
