package io.qualitylake.batch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User mistakes are answered before any engine starts. Each case runs the real CLI in its own JVM
 * with {@code spark.master} set to a URL Spark cannot parse: had the command started Spark, it
 * would fail with "Could not parse Master URL" (exit 1) instead of the one-line answer (exit 2).
 * That makes "before the engine" a fact the test can see, not a timing.
 */
class FastFailuresIT {
    @TempDir
    static Path tmp;
    static Path lake;
    static Path regularFile;
    static Path emptyFolder;
    static Path badReference;

    @BeforeAll
    static void folders() throws Exception {
        lake = Files.createDirectories(tmp.resolve("lake/gold"));
        lake = lake.getParent();
        regularFile = Files.writeString(tmp.resolve("not-a-lake.txt"), "hello");
        emptyFolder = Files.createDirectories(tmp.resolve("empty"));
        badReference = Files.createDirectories(tmp.resolve("ref"));
        Files.writeString(badReference.resolve("plants.jsonl"), String.join("\n",
                "{\"plant_id\":\"P01\",\"enterprise_id\":\"E01\"}",
                "{\"plant_id\":\"../../x\",\"enterprise_id\":\"E01\"}",
                "{\"plant_id\":\"P03\",\"enterprise_id\":\"E02\"") + "\n");
    }

    record Result(int exit, String err, double seconds) {}

    static Result qlake(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dspark.master=engine-started-by-mistake://", "-Dqlake.log.level=ERROR",
                "-cp", System.getProperty("java.class.path"), "io.qualitylake.batch.BatchCli"));
        cmd.addAll(List.of(args));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        Result r = new Result(p.exitValue(), err, (System.nanoTime() - t0) / 1e9);
        System.out.printf("%.1f s  qlake %s%n", r.seconds(), String.join(" ", args).substring(0, Math.min(80, String.join(" ", args).length())));
        return r;
    }

    static void answeredBeforeTheEngine(Result r, String expected) {
        assertFalse(r.err().contains("Master URL"), "Spark was started: " + r.err());
        assertEquals(2, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void sqlMistakes() throws Exception {
        answeredBeforeTheEngine(qlake("sql", "--lake", lake.toString(), "SELEC * FROM gold.line_grades"),
                "qlake sql: SQL syntax error: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'");
        answeredBeforeTheEngine(qlake("sql", "--lake", lake.toString(), "DELETE FROM gold.line_grades WHERE grade = 'C'"),
                "qlake sql: qlake sql is read-only: DELETE is not a query");
        answeredBeforeTheEngine(qlake("sql", "--lake", lake.resolve("nope").toString(), "SELECT 1"), "no lake at");
        answeredBeforeTheEngine(qlake("sql", "--lake", lake.toString(), "--format", "xml", "SELECT 1"), "--format must be");
    }

    @Test
    void somethingThatIsNotALakeIsRefused() throws Exception {
        answeredBeforeTheEngine(qlake("sql", "--lake", regularFile.toString(), "--tables"), "is a file, not a lake folder");
        answeredBeforeTheEngine(qlake("sql", "--lake", emptyFolder.toString(), "--tables"), "is not a lake: it has none of bronze/");
        answeredBeforeTheEngine(qlake("report", "--lake", regularFile.toString(), "--out", tmp.resolve("r").toString()),
                "is a file, not a lake folder");
        answeredBeforeTheEngine(qlake("report", "--lake", emptyFolder.toString(), "--out", tmp.resolve("r").toString()),
                "is not a lake");
        answeredBeforeTheEngine(qlake("batch", "silver", "--lake", emptyFolder.toString()), "is not a lake");
    }

    @Test
    void traceAndBatchMistakes() throws Exception {
        Result serial = qlake("trace", "--lake", lake.toString(), "A".repeat(10_000));
        answeredBeforeTheEngine(serial, "is not a serial number");
        assertTrue(serial.err().length() < 300, "the 10,000-character serial is not echoed in full: " + serial.err().length());
        assertTrue(serial.err().contains("… (10,000 characters)"), serial.err());
        answeredBeforeTheEngine(qlake("trace", "--lake", lake.resolve("nope").toString(), "SN-1"), "no lake at");
        answeredBeforeTheEngine(qlake("batch", "relability", "--lake", lake.toString()), "unknown job 'relability'");
        answeredBeforeTheEngine(qlake("batch", "reliability", "--lake", lake.toString(), "--as-of", "2026-13-01"), "is not a date");
        answeredBeforeTheEngine(qlake("batch", "reference", "--lake", lake.toString(), "--reference", badReference.toString()),
                "qlake batch: plants.jsonl:2: plant_id '../../x' breaks the identifier rule (and 1 more bad rows); nothing was loaded");
    }
}
