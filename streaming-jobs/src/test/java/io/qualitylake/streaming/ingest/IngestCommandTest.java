package io.qualitylake.streaming.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qlake ingest user mistakes: one line naming the problem, exit 2, no job started. */
class IngestCommandTest {
    @TempDir
    Path tmp;

    private static String fails(String... args) {
        return io.qualitylake.streaming.CliMistakes.fails(args);
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        String lake = tmp.resolve("lake").toString();
        assertTrue(fails("ingest", "--bootstrap", "localhost:9092").contains("--lake"));
        assertTrue(fails("ingest", "--lake", lake).contains("either --bootstrap"));
        Path f = Files.writeString(tmp.resolve("a.jsonl"), "{}\n");
        assertTrue(fails("ingest", "--lake", lake, "--bootstrap", "localhost:9092", "--from-file", f.toString()).contains("not both"));
        assertTrue(fails("ingest", "--lake", lake, "--from-file", tmp.resolve("missing.jsonl").toString()).contains("cannot read"));
        assertTrue(fails("ingest", "--lake", lake, "--from-file", f.toString(), "--checkpoint-interval", "soon").contains("not a duration"));
        assertTrue(fails("ingest", "--lake", lake, "--from-file", f.toString(), "--state-backend", "memory").contains("hashmap or rocksdb"));
        assertTrue(fails("ingest", "--lake", lake, "--bootstrap", "not a host").contains("is not HOST:PORT"));
        assertTrue(fails("ingest", "--lake", lake, "--from-file", f.toString(), "--restore-from", "latest").contains("no retained checkpoint"));
        // checked before any connection is tried (nothing listens on port 1)
        assertTrue(fails("ingest-benchmark", "--bootstrap", "localhost:1", "--runs", "0").contains("--runs must be at least 1"));
    }

    @Test
    void ratioSummaryOfRuns() {
        // hand-computed: sorted 0.42 0.48 0.51 0.55 0.60 -> min 0.42, median the third, max 0.60
        RatioSummary odd = RatioSummary.of(java.util.List.of(0.55, 0.42, 0.60, 0.48, 0.51));
        assertEquals(0.42, odd.min(), 0);
        assertEquals(0.51, odd.median(), 0);
        assertEquals(0.60, odd.max(), 0);
        // even count: the mean of the middle two, (0.48 + 0.51) / 2 = 0.495
        assertEquals(0.495, RatioSummary.of(java.util.List.of(0.51, 0.42, 0.48, 0.55)).median(), 1e-12);
        assertEquals("min 0.42 median 0.51 max 0.60", odd.toString());
    }

    @Test
    void durations() {
        assertEquals(java.time.Duration.ofMillis(500), Durations.parse("x", "500ms"));
        assertEquals(java.time.Duration.ofDays(7), Durations.parse("x", "7d"));
        assertEquals(java.time.Duration.ofMinutes(5), Durations.parse("x", "5m"));
    }
}
