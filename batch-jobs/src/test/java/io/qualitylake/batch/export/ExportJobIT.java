package io.qualitylake.batch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.batch.benchmarks.BenchmarksJob;
import io.qualitylake.batch.grading.GradingJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import io.qualitylake.schemas.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ranking feed: files per period, and the Kafka topic through a real KRaft broker. The broker
 * runs in its own JVM ({@code bin/qlake kafka start}, built by the ingestion module before these
 * tests run), because its Scala 2.13 cannot share a JVM with Spark's Scala 2.12.
 */
class ExportJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final ObjectMapper JSON = new ObjectMapper();
    static GradingWorld world;
    static Path kafkaDir;
    static int port;

    @BeforeAll
    static void setUp() throws Exception {
        world = GradingWorld.get();
        BatchTestSupport.run(SPARK, new GradingJob(), world.lake, world.asOf, null);
        BatchTestSupport.run(SPARK, new BenchmarksJob(), world.lake, world.asOf, null);
        kafkaDir = Files.createTempDirectory("qlake-export-kafka");
        port = BatchTestSupport.freePorts(2); // the broker and its controller
        qlake("kafka", "start", "--dir", kafkaDir.toString(), "--port", String.valueOf(port));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (kafkaDir != null) {
            qlake("kafka", "stop", "--dir", kafkaDir.toString());
        }
    }

    static void qlake(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("../bin/qlake"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "qlake " + String.join(" ", args) + " timed out");
        assertEquals(0, p.exitValue(), "qlake " + String.join(" ", args) + ": " + out);
    }

    @Test
    void filesPerPeriodAndOneKeyedMessagePerClusterAndPeriodOnACompactedTopic() throws Exception {
        Properties kafka = new Properties();
        kafka.setProperty("bootstrap.servers", "localhost:" + port);
        BatchTestSupport.run(SPARK, new ExportJob(kafka), world.lake, world.asOf, null);
        BatchTestSupport.run(SPARK, new ExportJob(kafka), world.lake, world.asOf, null); // a rerun

        Path may = world.lake.resolve("exports/rankings/2025-05");
        JsonNode manifest = JSON.readTree(may.resolve("_manifest.json").toFile());
        assertEquals(ExportJob.FEED_SCHEMA, manifest.path("feed").asText());
        assertEquals(16, manifest.path("rows").path("line_grades").asInt());
        List<String> lines = Files.readAllLines(may.resolve("line_grades.jsonl"));
        assertEquals(16, lines.size());
        JsonNode first = JSON.readTree(lines.get(0));
        for (String field : List.of("period", "line_id", "plant_id", "peer_group", "score", "grade", "rank_in_peer", "method", "cluster_id")) {
            assertTrue(first.has(field), field + " in " + first);
        }
        assertEquals(4, Files.readAllLines(may.resolve("enterprise_capability.jsonl")).size());
        assertEquals(16, SPARK.read().parquet(may.resolve("parquet/line_grades").toString()).count());
        for (String table : List.of("line_grades", "enterprise_capability", "cluster_rankings")) {
            // each period's Parquet holds that period only, with the column kept (written once for all periods, then moved)
            org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> parquet = SPARK.read().parquet(may.resolve("parquet/" + table).toString());
            assertTrue(parquet.count() > 0, table);
            assertEquals(List.of("2025-05"), parquet.select("period").distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList(),
                    table);
            assertEquals(Files.readAllLines(may.resolve(table + ".jsonl")).size(), parquet.count(), table + ": Parquet rows = JSON lines");
        }
        assertFalse(Files.exists(world.lake.resolve("exports/_staging")), "the staging folder is removed");
        assertEquals(5, Files.list(world.lake.resolve("exports/rankings")).count(), "one folder per month");

        Properties c = new Properties();
        c.putAll(kafka);
        c.setProperty("auto.offset.reset", "earliest");
        c.setProperty("group.id", "export-test");
        Map<String, String> latest = new HashMap<>();
        int received = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topic.GRADES.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    latest.put(r.key(), r.value());
                    received++;
                }
            }
            // anything the rerun might have sent is on the topic by now: a few more polls find it
            for (int i = 0; i < 4; i++) {
                received += consumer.poll(Duration.ofMillis(500)).count();
            }
        }
        assertEquals(10, received, "2 clusters x 5 months, sent once: the rerun for the same as_of had nothing new to publish");
        assertEquals(10, latest.size(), "a consumer keyed by cluster|period sees one entry per cluster and period");
        JsonNode msg = JSON.readTree(latest.get("CL-EAST|2025-05"));
        assertEquals("qlake.grades/1", msg.path("schema").asText());
        assertEquals(msg.path("ranking").path("lines_total").asInt(), msg.path("line_grades").size());
        try (Admin admin = Admin.create(kafka)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topic.GRADES.topicName());
            Config config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertEquals("compact", config.get("cleanup.policy").value());
        }
    }
}
