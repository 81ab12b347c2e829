package io.qualitylake.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real single-node KRaft Kafka broker on free ports, always shut down. Registered on a static
 * field it serves the whole test class; on an instance field, each test gets a fresh broker
 * (and so empty topics):
 * <pre>
 * &#64;RegisterExtension static final KafkaBroker KAFKA = new KafkaBroker();   // per class
 * &#64;RegisterExtension final KafkaBroker kafka = new KafkaBroker();          // per test
 * </pre>
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private KafkaClusterTestKit cluster;
    private boolean perClass;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (cluster == null) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            stop();
        }
    }

    private void start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("auto.create.topics.enable", "true")
                .setConfigProp("num.partitions", "2")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
    }

    private void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Properties clientProperties() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrapServers());
        return p;
    }

    /**
     * Reads a topic's committed records from the beginning until {@code expected} records arrived, or
     * the reader has caught up with the end of every partition (its last stable offset, read again on
     * each poll) after the first record, or the timeout passed. Catching up with the end, not a quiet
     * spell, ends the read: a reader that stalls under load still reads what the topic holds.
     */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected, Duration timeout) {
        Properties p = clientProperties();
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && System.nanoTime() < deadline) { // a topic its writer has yet to create
                partitions = c.partitionsFor(topic, timeout).stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                if (partitions.isEmpty()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
                }
            }
            if (partitions.isEmpty()) {
                return out;
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
                if (!out.isEmpty() && caughtUp(c, partitions)) {
                    break;
                }
            }
        }
        return out;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> c, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> end = c.endOffsets(partitions);
        return partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp));
    }
}
