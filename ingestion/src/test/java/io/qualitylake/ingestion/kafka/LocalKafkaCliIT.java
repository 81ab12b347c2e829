package io.qualitylake.ingestion.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code qlake kafka start/stop} as a user runs it: a separate JVM, a real round trip, no process left. */
class LocalKafkaCliIT {
    @TempDir
    Path dir;

    record Run(int exit, String out) {}

    static Run qlake(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.qualitylake.ingestion.IngestionCli"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(150, TimeUnit.SECONDS), "qlake " + String.join(" ", args) + " timed out");
        return new Run(p.exitValue(), out);
    }

    static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port; // the controller needs port + 1 as well
            } catch (IOException busy) {
                // try another
            }
        }
        throw new IOException("no two adjacent free ports");
    }

    @Test
    @Timeout(240)
    void startRoundTripStopLeavesNoProcess() throws Exception {
        int port = freePort();
        Path kdir = dir.resolve("kafka");
        Run start = qlake("kafka", "start", "--dir", kdir.toString(), "--port", Integer.toString(port));
        assertEquals(0, start.exit(), start.out());
        assertTrue(start.out().contains("localhost:" + port), start.out());
        long pid = Long.parseLong(Files.readString(kdir.resolve("broker.pid")).trim());
        try {
            // a second start sees the running broker; a start on the busy port of another dir is refused
            Run again = qlake("kafka", "start", "--dir", kdir.toString(), "--port", Integer.toString(port));
            assertEquals(0, again.exit(), again.out());
            assertTrue(again.out().contains("already running"), again.out());
            Run busy = qlake("kafka", "start", "--dir", dir.resolve("other").toString(), "--port", Integer.toString(port));
            assertEquals(2, busy.exit(), busy.out());
            assertTrue(busy.out().contains("already in use"), busy.out());
            assertEquals(1, busy.out().strip().lines().count(), "one line: " + busy.out());

            roundTrip("localhost:" + port);
        } finally {
            Run stop = qlake("kafka", "stop", "--dir", kdir.toString());
            assertEquals(0, stop.exit(), stop.out());
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker process still alive");
        assertFalse(Files.exists(kdir.resolve("broker.pid")));
        assertTrue(Files.exists(kdir.resolve("data").resolve("meta.properties")), "data kept in --dir");
        Run stopAgain = qlake("kafka", "stop", "--dir", kdir.toString());
        assertTrue(stopAgain.out().contains("no broker running"), stopAgain.out());
    }

    private static void roundTrip(String bootstrap) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("roundtrip", "k" + i, "v" + i));
            }
            producer.flush();
        }
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "rt");
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> got = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("roundtrip"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (got.size() < 10 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                    got.add(r.value());
                }
            }
        }
        assertEquals(10, got.size());
        assertTrue(got.containsAll(List.of("v0", "v9")));
    }

    @Test
    void badOptionsGiveOneLineAndNonZeroExit() throws Exception {
        Run r = qlake("kafka", "start", "--port", "notaport");
        assertEquals(2, r.exit());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        Run none = qlake("kafka");
        assertEquals(2, none.exit(), none.out());
        Run help = qlake("kafka", "start", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--dir"));
    }
}
