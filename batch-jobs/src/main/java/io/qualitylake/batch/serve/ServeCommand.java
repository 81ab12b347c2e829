package io.qualitylake.batch.serve;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.lake.ServeState;
import io.qualitylake.cli.BackgroundProcess;
import io.qualitylake.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qlake serve}: starts {@link LakeServer} as its own JVM (like {@code qlake kafka start}), waits until it
 * answers, prints the JDBC URL and stays in the foreground until Ctrl-C, or returns at once with
 * {@code --detach}; {@code qlake serve stop|status --lake DIR}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A read-only HiveServer2 (JDBC/ODBC) endpoint over the lake for BI tools: Spark's Thrift Server with",
                "databases bronze, silver, gold and ops. URL: jdbc:hive2://HOST:PORT/gold. See docs/bi.md."},
        subcommands = {ServeCommand.Stop.class, ServeCommand.Status.class})
public class ServeCommand implements Callable<Integer> {
    public static final int DEFAULT_PORT = 10000;
    static final List<String> SPARK_OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
            "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch",
            "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    @Option(names = "--lake", paramLabel = "DIR", description = "Lake root (required).")
    String lake;

    @Option(names = "--host", paramLabel = "H", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", paramLabel = "P", defaultValue = "" + DEFAULT_PORT, description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--auth", paramLabel = "none|password", defaultValue = "none",
            description = "none, or password: users and passwords from --users (default: ${DEFAULT-VALUE}).")
    String auth;

    @Option(names = "--users", paramLabel = "FILE", description = "Users file: name=sha256:HEX a line (see docs/bi.md).")
    Path users;

    @Option(names = "--refresh-seconds", paramLabel = "S", defaultValue = "30",
            description = "How often new tables and new bronze partitions are picked up (default: ${DEFAULT-VALUE}); "
                    + "new versions of Delta tables are visible to the next query regardless.")
    int refreshSeconds;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "4g", description = "Server heap (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--detach", description = "Return once the server answers; stop it with qlake serve stop.")
    boolean detach;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for the server to start (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--verbose", description = "Engine logs in the server log.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        checkOptions();
        ServeState state = ServeState.of(lake);
        Optional<String> running = state.runningAddress();
        if (running.isPresent()) {
            System.out.println("qlake serve: already running for this lake at jdbc:hive2://" + running.get() + "/gold");
            return 0;
        }
        BackgroundProcess.requireFree(host, port, "--port");
        Files.createDirectories(state.dir());
        Files.deleteIfExists(state.dir().resolve(ServeState.READY_FILE));
        Process p = state.process().start(command(state), state.log(), host + ":" + port);
        if (!detach) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> state.process().stop(Duration.ofSeconds(20))));
        }
        waitReady(p, state);
        String url = "jdbc:hive2://" + host + ":" + port + "/gold";
        System.out.println("qlake serve: ready at " + url + (auth.equals("password") ? " (user and password required)" : "")
                + "; log " + state.log());
        if (detach) {
            System.out.println("stop it with: qlake serve stop --lake " + lake);
            return 0;
        }
        System.out.println("Ctrl-C stops it.");
        int exit = p.waitFor();
        System.err.println("qlake serve: the server stopped (exit " + exit + "); see " + state.log());
        return exit == 0 || exit == 143 ? 0 : 1;
    }

    /** Every mistake that shows without starting anything: auth, users file, port, the lake folder. */
    void checkOptions() {
        if (lake == null) {
            throw new UserError("missing --lake DIR");
        }
        if (!List.of("none", "password").contains(auth)) {
            throw new UserError("--auth must be none or password, got '" + auth + "'");
        }
        if (auth.equals("password")) {
            UsersFile.load(users);
        } else if (users != null) {
            throw new UserError("--users needs --auth password");
        }
        if (port < 1 || port > 65535) {
            throw new UserError("--port " + port + " is out of range (1-65535)");
        }
        if (refreshSeconds < 1) {
            throw new UserError("--refresh-seconds must be 1 or more");
        }
        Lake.requireLocalLake(lake);
    }

    private List<String> command(ServeState state) {
        List<String> c = new ArrayList<>(List.of("-XX:+IgnoreUnrecognizedVMOptions", "-Djdk.reflect.useDirectMethodHandle=false"));
        for (String pkg : SPARK_OPENS) { // what Spark 3.5 needs on Java 17 (STACK.md), also when this JVM got them from a jar manifest
            c.add("--add-opens=java.base/" + pkg + "=ALL-UNNAMED");
        }
        c.add("-Xmx" + memory);
        c.add("-XX:+UseG1GC");
        c.add("-Duser.timezone=UTC");
        c.add("-Dqlake.log.level=" + (verbose ? "INFO" : "WARN"));
        if (users != null) {
            c.add("-D" + LakeAuthenticator.USERS_PROPERTY + "=" + users.toAbsolutePath());
        }
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), LakeServer.class.getName(),
                lake, host, Integer.toString(port), auth, state.dir().toString(), Integer.toString(refreshSeconds)));
        return c;
    }

    private void waitReady(Process p, ServeState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new UserError("the server exited at start (exit " + p.exitValue() + "): " + lastError(state.log()));
            }
            if (state.ready()) {
                return;
            }
            Thread.sleep(200);
        }
        state.process().stop(Duration.ofSeconds(10));
        throw new UserError("the server did not start within " + timeoutSeconds + " s; see " + state.log());
    }

    /** The last line of the log that names a problem, for a one-line error. */
    static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                if (l.contains("UserError") || l.contains("Exception") || l.contains("ERROR")) {
                    return l.strip().replaceFirst("^.*UserError: ", "");
                }
            }
        } catch (Exception ignored) {
            // fall through
        }
        return "see " + log;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the server of --lake.")
    static class Stop implements Callable<Integer> {
        @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
        String lake;

        @Override
        public Integer call() {
            ServeState state = ServeState.of(lake);
            boolean was = state.process().stop(Duration.ofSeconds(30));
            System.out.println(was ? "qlake serve: stopped" : "qlake serve: no server running for " + lake);
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether a server runs for --lake.")
    static class Status implements Callable<Integer> {
        @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
        String lake;

        @Override
        public Integer call() {
            Optional<String> a = ServeState.of(lake).runningAddress();
            System.out.println(a.map(s -> "running at jdbc:hive2://" + s + "/gold").orElse("not running"));
            return a.isPresent() ? 0 : 3;
        }
    }
}
