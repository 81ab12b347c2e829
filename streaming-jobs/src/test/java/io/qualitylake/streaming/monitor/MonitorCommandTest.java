package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qlake monitor from the command line: mistakes are one line before Flink starts (the file run is MonitorFileRunIT). */
class MonitorCommandTest {
    @TempDir
    Path tmp;

    private static String fails(String... args) {
        return io.qualitylake.streaming.CliMistakes.fails(args);
    }

    @Test
    void mistakesAreOneLine() throws Exception {
        String lake = tmp.resolve("lake").toString();
        Path f = Files.writeString(tmp.resolve("a.jsonl"), "{}\n");
        assertTrue(fails("monitor", "--lake", lake).contains("either --bootstrap"));
        assertTrue(fails("monitor", "--lake", lake, "--from-file", f.toString(), "--rules", tmp.resolve("none.json").toString())
                .contains("cannot read --rules file"));
        Path badRules = Files.writeString(tmp.resolve("rules.json"), "{\"default\": {\"ewma\": {\"lambda\": 0, \"L\": 3}}}");
        assertTrue(fails("monitor", "--lake", lake, "--from-file", f.toString(), "--rules", badRules.toString())
                .contains("EWMA lambda must be in (0, 1]"));
        Path badLimits = Files.writeString(tmp.resolve("limits.jsonl"), "{\"plant_id\":\"P01\"}\n");
        assertTrue(fails("monitor", "--lake", lake, "--from-file", f.toString(), "--limits", badLimits.toString())
                .contains("line 1"));
        assertTrue(fails("monitor", "--lake", lake, "--from-file", f.toString(), "--grace", "1h", "--idle-expiry", "30m")
                .contains("--idle-expiry must be longer"));
        assertTrue(fails("monitor", "--lake", lake, "--from-file", f.toString(), "--baseline-subgroups", "1")
                .contains("--baseline-subgroups"));
    }
}
