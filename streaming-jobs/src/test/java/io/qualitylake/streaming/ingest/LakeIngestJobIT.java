package io.qualitylake.streaming.ingest;

import static io.qualitylake.streaming.ingest.IngestFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.schemas.Reason;
import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.FailOnceAfterCheckpoint;
import io.qualitylake.testkit.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The ingest job end to end: a real KRaft broker, Flink's MiniCluster, bronze Parquet on disk. */
@Timeout(300)
class LakeIngestJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    /** A fresh broker per test, so every test sees only its own records on the topics. */
    @RegisterExtension
    final KafkaBroker kafka = new KafkaBroker();

    @TempDir
    Path tmp;

    @org.junit.jupiter.api.BeforeEach
    void topics() {
        io.qualitylake.ingestion.kafka.KafkaTopics.ensure(kafka.clientProperties(), 2, Topic.PRODUCTION, Topic.FIELD, Topic.QUARANTINE);
    }

    /** A small simulated world with every injected fault, plus one record of every invalid kind. */
    static List<byte[]> input(SimulationConfig c, boolean withTooLarge) {
        io.qualitylake.ingestion.sink.InMemorySink sink = new io.qualitylake.ingestion.sink.InMemorySink();
        new Simulator(c).run(sink, d -> {});
        List<byte[]> out = new ArrayList<>(sink.records());
        IngestFixtures.INVALID.forEach((raw, reason) -> {
            if (withTooLarge || reason != Reason.TOO_LARGE) {
                out.add(bytes(raw));
            }
        });
        out.add(out.get(0).clone()); // and one more exact duplicate
        return out;
    }

    static final SimulationConfig SMALL = SimulationConfig.defaults().withScale(2, 10, 10).withFaults(0.02, 0.01, 0.02, 0.01);

    /**
     * Sends each record to its event type's topic, as producers do; invalid ones go to production.
     * Returns the topic of each record, which the expected outcome must take into account.
     */
    private List<Topic> produce(List<byte[]> records) {
        List<Topic> topics = new ArrayList<>();
        io.qualitylake.schemas.EventValidator v = new io.qualitylake.schemas.EventValidator();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] r : records) {
                Topic topic = v.validate(r, null, IngestFixtures.NOW) instanceof io.qualitylake.schemas.ValidationResult.Valid ok
                        ? ok.event().topic() : Topic.PRODUCTION;
                p.send(new ProducerRecord<>(topic.topicName(), null, r));
                topics.add(topic);
            }
            p.flush();
        }
        return topics;
    }

    private void assertBronzeMatches(Path lake, IngestFixtures.Expected expected, IngestReport report) throws Exception {
        List<String> prod = BronzeFiles.ids(lake.resolve("bronze/production"));
        List<String> field = BronzeFiles.ids(lake.resolve("bronze/field"));
        assertEquals(prod.size(), new HashSet<>(prod).size(), "no duplicate in bronze/production");
        assertEquals(field.size(), new HashSet<>(field).size(), "no duplicate in bronze/field");
        assertTrue(expected.production().equals(new HashSet<>(prod)), "production ids differ: expected "
                + expected.production().size() + ", bronze has " + prod.size());
        assertTrue(expected.field().equals(new HashSet<>(field)), "field ids differ: expected "
                + expected.field().size() + ", bronze has " + field.size());
        Map<String, Long> reasons = new TreeMap<>(BronzeFiles.read(lake.resolve("bronze/quarantine")).stream()
                .collect(Collectors.groupingBy(r -> r.get("reason").toString(), Collectors.counting())));
        assertEquals(expected.quarantined(), reasons);
        assertTrue(report.reconciles(), report.summary());
        assertEquals(expected.read(), report.read(), report.summary());
        assertEquals(expected.production().size() + expected.field().size(), report.written());
        assertEquals(expected.duplicates(), report.duplicates());
        assertEquals(expected.quarantined(), report.quarantinedByReason());
    }

    /** The validator's "now" of the expected outcome (IngestFixtures.expect), so the job judges future events alike. */
    private static final Clock AS_OF_FIXTURES = Clock.fixed(IngestFixtures.NOW, java.time.ZoneOffset.UTC);

    @Test
    void kafkaStreamLandsExactlyTheValidUniqueEventsAndQuarantinesTheRestWithReasons() throws Exception {
        List<byte[]> records = input(SMALL, false);
        IngestFixtures.Expected expected = IngestFixtures.expect(records, produce(records));
        assertTrue(expected.quarantined().size() >= 8, "every invalid kind is present: " + expected.quarantined());
        Path lake = tmp.resolve("lake");
        Properties client = kafka.clientProperties();
        IngestReport report = new LakeIngestJob(IngestFixtures.options(lake.toString(), client, null, true,
                tmp.resolve("chk").toUri().toString(), null), AS_OF_FIXTURES).run();
        assertBronzeMatches(lake, expected, report);
        // partitions are event_date=/plant_id= directories and only safe identifiers became paths
        try (var s = Files.walk(lake.resolve("bronze/production"))) {
            assertTrue(s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("plant_id=")).allMatch(n -> n.matches("plant_id=P\\d\\d")));
        }
        // quarantine rows carry lineage: topic, partition, offset
        GenericRecord q = BronzeFiles.read(lake.resolve("bronze/quarantine")).get(0);
        assertEquals(Topic.PRODUCTION.topicName(), q.get("source").toString());
        assertTrue((Integer) q.get("source_partition") >= 0 && (Long) q.get("source_offset") >= 0);
        // and the quarantine topic got them too (at least once)
        long onTopic = kafka.readAll(Topic.QUARANTINE.topicName(), Integer.MAX_VALUE, Duration.ofSeconds(30)).size();
        assertTrue(onTopic >= expected.quarantined().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void fileModeAndKafkaModeProduceTheSameBronzeRows() throws Exception {
        List<byte[]> records = input(SimulationConfig.defaults().withSeed(11).withScale(2, 5, 8), true);
        Path file = tmp.resolve("in.jsonl");
        Files.write(file, records.stream().map(r -> new String(r, java.nio.charset.StandardCharsets.UTF_8)).toList());
        Path fileLake = tmp.resolve("file-lake");
        IngestReport fileReport = new LakeIngestJob(IngestFixtures.options(fileLake.toString(), null,
                List.of(file.toString()), true, tmp.resolve("chk1").toUri().toString(), null), AS_OF_FIXTURES).run();
        assertBronzeMatches(fileLake, IngestFixtures.expect(records, null), fileReport);
        GenericRecord tooLarge = BronzeFiles.read(fileLake.resolve("bronze/quarantine")).stream()
                .filter(r -> r.get("reason").toString().equals("TOO_LARGE")).findFirst().orElseThrow();
        assertEquals(file.toString(), tooLarge.get("source").toString());
        assertEquals(-1, tooLarge.get("source_partition"));
        assertEquals((long) records.size() - 1, (long) tooLarge.get("source_offset"),
                "file lineage is the 1-based line number");

        String group = "same-rows-" + System.nanoTime();
        List<byte[]> viaKafka = records.stream().filter(r -> r.length < 1_000_000).toList();
        produce(viaKafka);
        Path kafkaLake = tmp.resolve("kafka-lake");
        IngestOptions o = IngestFixtures.options(kafkaLake.toString(), kafka.clientProperties(), null, true,
                tmp.resolve("chk2").toUri().toString(), null);
        new LakeIngestJob(new IngestOptions(o.lake(), o.kafka(), null, true, group, "earliest", o.checkpointInterval(),
                1, o.stateBackend(), o.checkpointDir(), null, o.maxOutOfOrderness(), o.dedupeRetention(), false),
                AS_OF_FIXTURES).run();
        for (String table : List.of("bronze/production", "bronze/field")) {
            Map<String, String> fromFile = content(fileLake.resolve(table));
            Map<String, String> fromKafka = content(kafkaLake.resolve(table));
            assertEquals(fromFile.size(), fromKafka.size(), table + " row count");
            assertTrue(fromFile.equals(fromKafka), table + " rows differ between file and Kafka mode");
        }
    }

    /** Row content by event_id, without the lineage columns that legitimately differ by source. */
    private static Map<String, String> content(Path table) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (GenericRecord r : BronzeFiles.read(table)) {
            StringBuilder sb = new StringBuilder();
            for (Schema.Field f : r.getSchema().getFields()) {
                if (!Set.of("ingest_time", "source", "source_partition", "source_offset").contains(f.name())) {
                    sb.append(f.name()).append('=').append(r.get(f.name())).append(';');
                }
            }
            out.put(r.get("event_id").toString(), sb.toString());
        }
        return out;
    }

    /** Cancels a running job; if it had already failed, rethrows the job's own failure instead. */
    private static void cancel(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get(); // throws the job's failure
            return;
        }
        job.cancel().get(); // acknowledged, not yet done: wait for the job's end, when it has stopped writing checkpoints
        try {
            job.getJobExecutionResult().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException cancelled) {
            // the expected end of a cancelled job
        }
    }

    /**
     * Both shapes of the job: parallelism 1 dedupes in the parse task (no shuffle) and writes in a
     * task of its own; parallelism 2 shuffles by key to the dedupe + write task.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "parallelism {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void injectedFailureAfterACheckpointLosesAndDuplicatesNothing(int parallelism) throws Exception {
        Path file = tmp.resolve("big.jsonl");
        List<byte[]> records = input(SimulationConfig.defaults().withSeed(5).withScale(4, 20, 30), false);
        Files.write(file, records.stream().map(r -> new String(r, java.nio.charset.StandardCharsets.UTF_8)).toList());
        Path lake = tmp.resolve("lake");
        IngestOptions d = IngestFixtures.options(lake.toString(), null, List.of(file.toString()), true,
                tmp.resolve("chk").toUri().toString(), null);
        IngestOptions o = new IngestOptions(d.lake(), null, d.files(), true, d.groupId(), d.startFrom(), d.checkpointInterval(),
                parallelism, d.stateBackend(), d.checkpointDir(), null, d.maxOutOfOrderness(), d.dedupeRetention(), false);
        IngestReport report = new LakeIngestJob(o, AS_OF_FIXTURES, FailOnceAfterCheckpoint.reset()).run();
        assertTrue(FailOnceAfterCheckpoint.injected(), "the failure was injected (input outlived a checkpoint)");
        assertBronzeMatches(lake, IngestFixtures.expect(records, null), report);
    }

    @Test
    void stopAndRestartFromTheLastCheckpointWhileTheProducerKeepsWriting() throws Exception {
        String topic = Topic.FIELD.topicName();
        int total = 6_000;
        Set<String> sent = java.util.Collections.synchronizedSet(new HashSet<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(kafka.clientProperties(), new StringSerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < total && !stop.get(); i++) {
                    String id = "restart-" + i;
                    p.send(new ProducerRecord<>(topic, "SN-" + i, bytes("{\"schema\":\"qlake.field/1\",\"event_id\":\"" + id
                            + "\",\"event_type\":\"UNIT_INSTALLED\",\"event_time\":\"2026-03-05T00:00:00Z\",\"plant_id\":\"PR1\","
                            + "\"serial_no\":\"SN-" + i + "\",\"product_model\":\"M100\",\"region\":\"East\"}")));
                    sent.add(id);
                    if (i % 200 == 0) {
                        p.flush();
                        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // a steady trickle
                    }
                }
            }
        });
        producer.start();
        Path lake = tmp.resolve("lake");
        String checkpoints = tmp.resolve("chk").toUri().toString();
        IngestOptions continuous = IngestFixtures.options(lake.toString(), kafka.clientProperties(), null, false, checkpoints, null);
        JobClient first = new LakeIngestJob(continuous, Clock.systemUTC()).start();
        Await.until("some restart-* rows committed", Duration.ofSeconds(90),
                () -> BronzeFiles.ids(lake.resolve("bronze/field")).stream().anyMatch(id -> id.startsWith("restart-")));
        cancel(first);
        String latest = Checkpoints.latest(checkpoints).orElseThrow();

        IngestOptions resumed = new IngestOptions(continuous.lake(), continuous.kafka(), null, false, continuous.groupId(),
                "earliest", continuous.checkpointInterval(), continuous.parallelism(), continuous.stateBackend(),
                checkpoints, latest, continuous.maxOutOfOrderness(), continuous.dedupeRetention(), continuous.quarantineTopic());
        JobClient second = new LakeIngestJob(resumed, Clock.systemUTC()).start();
        try {
            producer.join(120_000);
            Await.until("all " + total + " restart-* rows committed", Duration.ofSeconds(120),
                    () -> BronzeFiles.ids(lake.resolve("bronze/field")).stream().filter(id -> id.startsWith("restart-")).count() >= total);
        } finally {
            stop.set(true);
            cancel(second);
        }
        List<String> ids = BronzeFiles.ids(lake.resolve("bronze/field")).stream().filter(id -> id.startsWith("restart-")).toList();
        assertEquals(total, ids.size(), "no event lost or duplicated across the restart");
        assertEquals(sent, new HashSet<>(ids));
    }
}
