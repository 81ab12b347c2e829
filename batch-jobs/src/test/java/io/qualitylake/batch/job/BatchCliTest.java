package io.qualitylake.batch.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.BatchCli;
import io.qualitylake.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User mistakes on qlake batch / sql: one line naming the problem, non-zero exit, no stack trace. */
class BatchCliTest {
    @TempDir
    Path tmp;

    record Result(int exit, String err) {}

    static Result qlake(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            var cl = Cli.commandLine(new BatchCli(), args);
            cl.setErr(new java.io.PrintWriter(System.err, true));
            int exit = cl.execute(args);
            return new Result(exit, err.toString(StandardCharsets.UTF_8).strip());
        } finally {
            System.setErr(old);
        }
    }

    private static void oneLine(Result r, int exit, String contains) {
        assertEquals(exit, r.exit(), r.err());
        assertTrue(r.err().contains(contains), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("qlake batch") || l.contains(contains)).count(), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void unknownJob() {
        oneLine(qlake("batch", "nope", "--lake", tmp.toString()), 2, "unknown job 'nope'");
    }

    @Test
    void badDate() {
        oneLine(qlake("batch", "reliability", "--lake", tmp.toString(), "--as-of", "2026-13-40"), 2, "is not a date");
        oneLine(qlake("batch", "reliability", "--lake", tmp.toString(), "--as-of", "2999-01-01"), 2, "out of range");
    }

    /** The registry lists every job with the tables it declares; only list runs without --lake. */
    @Test
    void listShowsEveryJobAndItsTables() {
        String list = io.qualitylake.batch.BatchCommand.list();
        for (String job : List.of("reference", "silver", "reliability", "quality", "capability", "grading", "benchmarks",
                "suppliers", "export", "manifests", "vacuum")) {
            assertTrue(list.lines().anyMatch(l -> l.startsWith(job + " ")), job + " in\n" + list);
        }
        assertTrue(list.contains("writes: gold.quality_kpis, gold.defect_pareto"), list);
        assertEquals(0, qlake("batch", "list").exit());
        oneLine(qlake("batch", "silver"), 2, "Missing required option: '--lake=DIR'");
    }

    @Test
    void missingLake() {
        oneLine(qlake("batch", "silver", "--lake", tmp.resolve("no-such-lake").toString()), 2, "no lake at");
        oneLine(qlake("sql", "--lake", tmp.resolve("no-such-lake").toString(), "SELECT 1"), 2, "no lake at");
    }

    /** qlake serve: a missing lake, an unreadable or bad users file and a port in use, each before anything starts. */
    @Test
    void serveMistakesAreOneLineBeforeTheServerStarts() throws Exception {
        oneLine(qlake("serve", "--lake", tmp.resolve("no-such-lake").toString()), 2, "no lake at");
        java.nio.file.Files.createDirectories(tmp.resolve("lake").resolve("gold"));
        String lake = tmp.resolve("lake").toString();
        oneLine(qlake("serve", "--lake", lake, "--auth", "password", "--users", tmp.resolve("nope").toString()), 2,
                "cannot read the users file");
        java.nio.file.Path users = tmp.resolve("users");
        java.nio.file.Files.writeString(users, "ana=secret\n");
        Result bad = qlake("serve", "--lake", lake, "--auth", "password", "--users", users.toString());
        oneLine(bad, 2, "users:1: the password of user 'ana' must be sha256:<64 hex digits> or plain:<password>");
        assertTrue(!bad.err().contains("secret"), "the error never echoes a password");
        oneLine(qlake("serve", "--lake", lake, "--auth", "ldap"), 2, "--auth must be none or password");
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            oneLine(qlake("serve", "--lake", lake, "--port", Integer.toString(busy.getLocalPort())), 2, "is already in use");
        }
        oneLine(qlake("sql", "--lake", lake, "--server", "localhost", "SELECT 1"), 2, "--server must be HOST:PORT");
    }

    @Test
    void missingOptionBadOptionAndNotBuiltCommands() {
        oneLine(qlake("batch", "silver"), 2, "Missing required option: '--lake=DIR'");
        oneLine(qlake("batch", "grading", "--lake", tmp.toString(), "--method", "best"), 2, "--method must be rubric or topsis, got 'best'");
    }

    @Test
    void anInvalidRubricFileIsAOneLineErrorBeforeSparkStarts() throws Exception {
        java.nio.file.Path rubric = tmp.resolve("rubric.json");
        java.nio.file.Files.writeString(rubric, new String(getClass().getResourceAsStream("/rubrics/line-grade.json").readAllBytes())
                .replace("\"weight\": 0.25, \"anchors\": [[0.90", "\"weight\": 0.30, \"anchors\": [[0.90"));
        oneLine(qlake("batch", "grading", "--lake", tmp.toString(), "--rubric", rubric.toString()), 2,
                "rubric " + rubric + ": weights sum to 1.05, not 1");
        oneLine(qlake("report", "--lake", tmp.toString()), 2, "Missing required option: '--out=DIR'");
        oneLine(qlake("trace", "--lake", tmp.toString(), "../etc/passwd"), 2, "is not a serial number");
    }
}
