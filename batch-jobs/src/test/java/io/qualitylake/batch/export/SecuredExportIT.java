package io.qualitylake.batch.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.BatchCli;
import io.qualitylake.batch.benchmarks.BenchmarksJob;
import io.qualitylake.batch.grading.GradingJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import io.qualitylake.cli.Cli;
import io.qualitylake.schemas.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code qlake batch export} to a secured broker ({@code qlake kafka start --secure}: SASL_SSL, SCRAM-SHA-512,
 * ACLs), through {@code --kafka-properties}: the application user's file publishes the feed; a user without ACLs
 * is refused in one line and adds nothing to the topic; no password reaches {@code ops.job_runs.args}, the
 * command's output or the lake. The broker runs in its own JVM from the ingestion module's class path (its Scala
 * 2.13 cannot share a JVM with Spark's 2.12).
 */
class SecuredExportIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    record Result(int exit, String out, String err) {}

    static GradingWorld world;

    /** The shared grading world's gold tables; made here unless ExportJobIT made them earlier in this JVM. */
    @BeforeAll
    static void world() throws Exception {
        world = GradingWorld.get();
        Path gold = world.lake.resolve("gold");
        if (!Files.isDirectory(gold.resolve("line_grades")) || !Files.isDirectory(gold.resolve("cluster_rankings"))) {
            BatchTestSupport.run(SPARK, new GradingJob(), world.lake, world.asOf, null);
            BatchTestSupport.run(SPARK, new BenchmarksJob(), world.lake, world.asOf, null);
        }
    }

    @Test
    @Timeout(300)
    void exportPublishesAsTheAppUserAndRefusesAUserWithoutAcls() throws Exception {
        Path lake = copyOfTheWorld();
        Path dir = Files.createTempDirectory("qlake-secured-export");
        int port = io.qualitylake.batch.testkit.BatchTestSupport.freePorts(3); // the broker's listeners and its controller
        kafka("start", "--secure", "--dir", dir.toString(), "--port", Integer.toString(port));
        try {
            Path security = dir.resolve("security");
            Path app = security.resolve("qlake.properties");
            Path guest = security.resolve("guest.properties");
            Properties admin = load(security.resolve("admin.properties"));
            // the user without ACLs first: once a run has published, an export of the same as_of has nothing new to send
            Result refused = qlake("batch", "export", "--lake", lake.toString(), "--as-of", world.asOf.toString(),
                    "--kafka-properties", guest.toString());
            assertEquals(2, refused.exit(), refused.err());
            List<String> errorLines = refused.err().lines().filter(l -> l.contains("refused")).toList();
            assertEquals(1, errorLines.size(), refused.err());
            System.out.println("refused: " + errorLines.get(0));
            assertTrue(errorLines.get(0).startsWith("qlake batch: Kafka refused access to the topics"), errorLines.get(0));
            assertFalse(refused.err().contains("\tat "), refused.err());
            assertEquals(0, records(admin), "the refused export sent nothing");

            Result ok = qlake("batch", "export", "--lake", lake.toString(), "--as-of", world.asOf.toString(),
                    "--kafka-properties", app.toString());
            assertEquals(0, ok.exit(), ok.err());
            // 2 clusters x 5 months (the same world as ExportJobIT, whose count is checked against the grading job's rows there)
            assertEquals(10, records(admin));

            // the runs were recorded, their args without any secret (nor the properties file's content)
            List<String> args = new ArrayList<>();
            // the command stops its SparkSession when it ends (as bin/qlake's JVM would exit): read with a fresh one
            for (Row r : BatchTestSupport.spark().read().format("delta").load(lake.resolve("ops").resolve("job_runs").toString())
                    .where("job = 'export'").select("args").collectAsList()) {
                args.add(r.getString(0));
            }
            assertTrue(args.size() >= 2, args.toString());
            List<String> texts = new ArrayList<>(args);
            texts.addAll(List.of(ok.out(), ok.err(), refused.out(), refused.err()));
            try (Stream<Path> s = Files.walk(lake.resolve("exports"))) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            texts.add(Files.readString(dir.resolve("broker.log")));
            Properties secrets = load(security.resolve("secrets.properties"));
            assertEquals(4, secrets.size());
            for (String key : secrets.stringPropertyNames()) {
                for (String t : texts) {
                    assertFalse(t.contains(secrets.getProperty(key)), key + " leaked into an arg, output, export or log");
                }
            }
        } finally {
            kafka("stop", "--dir", dir.toString());
        }
    }

    /**
     * The export's inputs, copied to a lake of this test's own: the shared world's export state (which periods were
     * exported, in ops.job_runs) belongs to ExportJobIT.
     */
    static Path copyOfTheWorld() throws Exception {
        Path lake = Files.createTempDirectory("qlake-secured-export-lake");
        for (String t : List.of("gold/line_grades", "gold/enterprise_capability", "gold/cluster_rankings", "silver/dim_plants",
                "silver/dim_enterprises")) {
            Path from = world.lake.resolve(t);
            try (Stream<Path> s = Files.walk(from)) {
                for (Path p : s.toList()) {
                    Path to = lake.resolve(t).resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to);
                    }
                }
            }
        }
        Files.createDirectories(lake.resolve("bronze"));
        Files.createDirectories(lake.resolve("ops"));
        return lake;
    }

    /** {@code qlake kafka ...} in its own JVM, from the ingestion module's build (classes + class path file). */
    static void kafka(String... args) throws Exception {
        Path ingestion = Path.of("..", "ingestion", "target").toAbsolutePath().normalize();
        Path schemas = Path.of("..", "schemas", "target", "classes").toAbsolutePath().normalize();
        String cp = ingestion.resolve("classes") + ":" + schemas + ":" + Files.readString(ingestion.resolve("classpath.txt")).trim();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                "io.qualitylake.ingestion.IngestionCli", "kafka"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "qlake kafka " + String.join(" ", args) + " timed out");
        assertEquals(0, p.exitValue(), "qlake kafka " + String.join(" ", args) + ": " + out);
    }

    static Result qlake(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Cli.commandLine(new BatchCli(), args);
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int exit = cl.execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Every message on the grades topic, read as the admin user. */
    static long records(Properties admin) {
        Properties c = new Properties();
        c.putAll(admin);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(Topic.GRADES.topicName(), Duration.ofSeconds(30)).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            return consumer.endOffsets(parts, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum()
                    - consumer.beginningOffsets(parts, Duration.ofSeconds(30)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    static Properties load(Path f) throws Exception {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }
}
