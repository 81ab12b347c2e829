package io.qualitylake.streaming.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.Cli;
import io.qualitylake.ingestion.IngestionCli;
import io.qualitylake.ingestion.kafka.KafkaSecurity;
import io.qualitylake.ingestion.kafka.LocalKafka;
import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.StreamingCli;
import io.qualitylake.streaming.ingest.BronzeFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline against a real secured broker ({@code qlake kafka start --secure}: SASL_SSL, SCRAM-SHA-512, a CA
 * made by the command, StandardAuthorizer ACLs): {@code simulate} → {@code ingest --until-idle} → bronze as the
 * application user, each command its own JVM with INFO logs; then the refusals a user sees (no credentials, a
 * user without ACLs, a wrong password) as one line each, with nothing written; and no password in any output,
 * log or lake file. The oracle for the bronze count is the simulator's planted truth (valid unique events).
 */
class SecuredKafkaIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private final List<String> outputs = new ArrayList<>();

    @Test
    @Timeout(480)
    void securedBrokerServesTheAppUserAndRefusesOthersInOneLine() throws Exception {
        int port = freePorts(3);
        LocalKafka kafka = new LocalKafka(tmp.resolve("kafka"));
        try {
            kafka.start(port, Duration.ofSeconds(240), true);
            KafkaSecurity sec = KafkaSecurity.open(kafka.dir());
            Path app = sec.clientFile(KafkaSecurity.APP);
            Path lake = tmp.resolve("lake");
            Path ref = tmp.resolve("ref");

            // 1. simulate -> ingest -> bronze, as the application user
            String sim = run(IngestionCli.class, "simulate", "--kafka-properties", app.toString(), "--reference-out", ref.toString(),
                    "--plants", "2", "--days", "2", "--seed", "17", "--quiet");
            JsonNode truth = JSON.readTree(ref.resolve("truth.json").toFile());
            long records = truth.path("records").asLong();
            long validUnique = truth.path("valid_unique_events").asLong();
            assertTrue(records > 1000 && validUnique > 1000, sim);

            // 2. refusals: one line, exit 2, no stack trace, before anything is sent
            Path noCredentials = write("nocred.properties", Map.of("bootstrap.servers", "localhost:" + port));
            Properties wrong = load(app);
            wrong.setProperty("sasl.jaas.config", wrong.getProperty("sasl.jaas.config").replaceAll("password=\"[^\"]*\"", "password=\"not-it\""));
            Path wrongPassword = write("wrong.properties", wrong);
            Path guest = sec.clientFile(KafkaSecurity.GUEST);
            Path jsonl = tmp.resolve("one.jsonl");
            run(IngestionCli.class, "simulate", "--out", jsonl.toString(), "--reference-out", tmp.resolve("ref2").toString(),
                    "--plants", "2", "--days", "1", "--seed", "5", "--quiet");

            String noCred = refused(new IngestionCli(), "publish", "--kafka-properties", noCredentials.toString(), jsonl.toString());
            assertEquals("qlake publish: Kafka at localhost:" + port + " speaks TLS, this client plain text: the broker is secured;"
                    + " give --kafka-properties with security.protocol=SASL_SSL, sasl.* and ssl.* settings", noCred);
            String noAcl = refused(new IngestionCli(), "simulate", "--kafka-properties", guest.toString(), "--reference-out",
                    tmp.resolve("ref3").toString(), "--plants", "2", "--days", "1", "--quiet");
            assertTrue(noAcl.startsWith("qlake simulate: Kafka at localhost:" + port + " (user 'guest') refused access to the topics"), noAcl);
            String noAclPublish = refused(new IngestionCli(), "publish", "--kafka-properties", guest.toString(), jsonl.toString());
            assertTrue(noAclPublish.contains("(user 'guest') refused access to the topics"), noAclPublish);
            String badLogin = refused(new IngestionCli(), "publish", "--kafka-properties", wrongPassword.toString(), jsonl.toString());
            assertTrue(badLogin.startsWith("qlake publish: Kafka at localhost:" + port + " (user 'qlake') refused the login"), badLogin);
            String noAclIngest = refused(new StreamingCli(), "ingest", "--lake", tmp.resolve("lake-guest").toString(),
                    "--kafka-properties", guest.toString(), "--until-idle");
            assertTrue(noAclIngest.startsWith("qlake ingest: Kafka at localhost:" + port + " (user 'guest') refused access"), noAclIngest);
            String noCredIngest = refused(new StreamingCli(), "ingest", "--lake", tmp.resolve("lake-guest").toString(),
                    "--kafka-properties", noCredentials.toString(), "--until-idle");
            assertTrue(noCredIngest.contains("speaks TLS, this client plain text"), noCredIngest);
            assertFalse(Files.exists(tmp.resolve("lake-guest").resolve("bronze")), "a refused ingest wrote nothing");

            // nothing from the refused clients reached the topics: a read_committed reader (admin) sees exactly the simulated records
            assertEquals(records, committedRecords(load(sec.clientFile(KafkaSecurity.ADMIN)), Topic.PRODUCTION, Topic.FIELD));

            String ingest = run(StreamingCli.class, "ingest", "--lake", lake.toString(), "--kafka-properties", app.toString(),
                    "--until-idle", "--checkpoint-interval", "2s", "--parallelism", "1");
            assertTrue(ingest.contains("ingest: read " + String.format("%,d", records)), ingest);
            // bronze: every valid unique event of the planted truth, once
            List<String> ids = new ArrayList<>(BronzeFiles.ids(lake.resolve("bronze").resolve("production")));
            ids.addAll(BronzeFiles.ids(lake.resolve("bronze").resolve("field")));
            assertEquals(validUnique, ids.size(), ingest);
            assertEquals(validUnique, ids.stream().distinct().count());

            // 3. no secret in any output, the broker's log or a lake file (the client files and server.properties hold them, owner-only)
            List<String> texts = new ArrayList<>(outputs);
            texts.add(Files.readString(kafka.dir().resolve("broker.log")));
            try (Stream<Path> s = Files.walk(lake)) {
                for (Path f : s.filter(Files::isRegularFile).toList()) {
                    texts.add(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                }
            }
            List<String> secrets = sec.secretValues();
            assertEquals(4, secrets.size());
            for (String secret : secrets) {
                for (String t : texts) {
                    assertFalse(t.contains(secret), "a password leaked into an output, log or lake file");
                }
            }
            assertTrue(String.join("\n", outputs).contains("sasl.jaas.config = [hidden]"), "the INFO logs were captured");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(app)));
        } finally {
            kafka.stop(Duration.ofSeconds(30));
        }
    }

    /** Runs a qlake command in its own JVM with INFO logs on; its whole output, which must exit 0. */
    private String run(Class<?> main, String... args) throws IOException, InterruptedException {
        Path log4j = tmp.resolve("log4j2-info.xml");
        if (!Files.exists(log4j)) {
            Files.writeString(log4j, """
                    <Configuration status="ERROR">
                      <Appenders><Console name="err" target="SYSTEM_ERR"><PatternLayout pattern="%-5level %c{1} - %msg%n"/></Console></Appenders>
                      <Loggers><Root level="INFO"><AppenderRef ref="err"/></Root></Loggers>
                    </Configuration>
                    """);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dlog4j2.configurationFile=" + log4j.toUri(), "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        cmd.add("--verbose");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), String.join(" ", args) + " timed out");
        outputs.add(out);
        assertEquals(0, p.exitValue(), out.length() > 4000 ? out.substring(out.length() - 4000) : out);
        return out;
    }

    /** A command that Kafka refuses: exit 2, exactly one line, no stack trace. */
    private String refused(Object cli, String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        var cl = Cli.commandLine(cli, args);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(out, true));
        int exit = cl.execute(args);
        String text = err.toString().strip();
        outputs.add(text);
        outputs.add(out.toString());
        assertEquals(2, exit, text);
        assertEquals(1, text.lines().count(), text);
        assertFalse(text.contains("\tat ") || text.contains("Exception:"), text);
        System.out.println("refused: " + text);
        return text;
    }

    private static long committedRecords(Properties client, Topic... topics) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long n = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            for (Topic t : topics) {
                c.partitionsFor(t.topicName(), Duration.ofSeconds(30)).forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp, Duration.ofSeconds(30)) < end.get(tp)) && System.nanoTime() < deadline) {
                ConsumerRecords<byte[], byte[]> r = c.poll(Duration.ofMillis(500));
                n += r.count();
            }
        }
        return n;
    }

    private Path write(String name, Map<String, String> values) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        return write(name, p);
    }

    private Path write(String name, Properties p) throws IOException {
        Path f = tmp.resolve(name);
        try (var w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
            p.store(w, null);
        }
        return f;
    }

    private static Properties load(Path f) throws IOException {
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** A port P with P+1 and P+2 free as well (client, controller, the brokers' TLS listener). */
    private static int freePorts(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            boolean free = port + n < 65535;
            for (int i = 1; i < n && free; i++) {
                try (ServerSocket s = new ServerSocket(port + i)) {
                    free = true;
                } catch (IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new IOException("no " + n + " adjacent free ports");
    }
}
