package io.qualitylake.ingestion.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qlake publish with no broker at the address: a prompt one-line error naming the address, not a
 * silent minute followed by "null". Also the CSV mapping documentation the help text points to exists.
 */
class PublishNoBrokerIT {
    @TempDir
    Path tmp;

    @Test
    void anUnreachableBrokerIsAOneLineErrorWithinSeconds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) { // a port nobody listens on once closed
            port = s.getLocalPort();
        }
        Path events = Files.writeString(tmp.resolve("one.jsonl"), "{\"event_type\":\"unit_completed\"}\n");
        long t0 = System.nanoTime();
        PublishRoundTripIT.Result r = PublishRoundTripIT.qlake("publish", "--bootstrap", "127.0.0.1:" + port, events.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.exit(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("qlake publish: cannot reach Kafka at 127.0.0.1:" + port + ": no answer within"), err);
        assertFalse(err.contains("null"), err);
        // the admin client gives up after 6 s (KafkaTopics.DEFAULT_API_TIMEOUT_MS), plus a JVM's start; 30 s leaves
        // room for a busy CI machine and still fails on Kafka's own default of 60 s (the timeout not applied)
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void theCsvMappingDocumentThatHelpAndErrorsNameExists() throws Exception {
        PublishRoundTripIT.Result help = PublishRoundTripIT.qlake("publish", "--help");
        assertTrue(help.out().contains("docs/csv-mapping.md"), help.out());
        Path doc = Path.of("..", "docs", "csv-mapping.md");
        assertTrue(Files.isRegularFile(doc), doc.toAbsolutePath() + " is missing");
        String text = Files.readString(doc);
        for (String key : new String[] {"\"time\"", "\"events\"", "\"when\"", "\"template\"", "\"map\"", "ai4i2020.mapping.json"}) {
            assertTrue(text.contains(key), "docs/csv-mapping.md explains " + key);
        }
    }
}
