package io.qualitylake.batch.serve;

import io.qualitylake.batch.lake.ServeState;
import io.qualitylake.cli.UserError;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.stat.descriptive.DescriptiveStatistics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qlake serve-benchmark}: latency of the ten {@link DashboardQueries} through JDBC against a running
 * {@code qlake serve} (p50/p95 over warm rounds, the first round reported apart), next to one {@code qlake sql}
 * the way a user runs it: a new JVM, through the server and cold (Spark started in the process).
 */
@Command(name = "serve-benchmark", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Dashboard-query latency through qlake serve (JDBC), next to qlake sql via the server and cold.")
public class ServeBenchmark implements Callable<Integer> {
    /** The command line this command runs under: its root's class is the CLI a `qlake sql` JVM starts. */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
    String lake;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "A running server (default: the lake's; without one, a server is started for the run and stopped after).")
    String server;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Warm rounds of the ten queries (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--user", paramLabel = "NAME", description = "User name (password from QLAKE_PASSWORD).")
    String user;

    @Option(names = "--verbose", description = "Show engine logs.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new UserError("--rounds must be 1 or more");
        }
        io.qualitylake.batch.lake.Lake.requireLocalLake(lake);
        String address = server != null ? server : ServeState.of(lake).runningAddress().orElse(null);
        boolean started = false;
        if (address == null) {
            int port = freePort();
            int exit = new CommandLine(new ServeCommand()).execute("--lake", lake, "--port", Integer.toString(port), "--detach");
            if (exit != 0) {
                return exit;
            }
            address = "127.0.0.1:" + port;
            started = true;
        }
        try {
            jdbcLatencies(address);
            System.out.println();
            String first = DashboardQueries.ALL.get(0).sql();
            System.out.printf("qlake sql, new JVM, \"%s\" query:%n", DashboardQueries.ALL.get(0).name());
            System.out.printf("  through the server   %6.2f s%n", cli(List.of("--server", address), first));
            System.out.printf("  cold (Spark here)    %6.2f s%n", cli(List.of("--local"), first));
        } finally {
            if (started) {
                ServeState.of(lake).process().stop(Duration.ofSeconds(20));
            }
        }
        return 0;
    }

    private void jdbcLatencies(String address) throws Exception {
        Class.forName("org.apache.hive.jdbc.HiveDriver");
        Properties p = new Properties();
        p.setProperty("user", user == null ? "anonymous" : user);
        p.setProperty("password", System.getenv().getOrDefault(io.qualitylake.batch.sql.SqlCommand.PASSWORD_ENV, ""));
        DescriptiveStatistics warm = new DescriptiveStatistics();
        List<DescriptiveStatistics> perQuery = new ArrayList<>();
        DashboardQueries.ALL.forEach(q -> perQuery.add(new DescriptiveStatistics()));
        double firstRoundMax = 0;
        try (Connection c = DriverManager.getConnection("jdbc:hive2://" + address + "/gold", p); Statement s = c.createStatement()) {
            for (int round = 0; round <= rounds; round++) {
                for (int i = 0; i < DashboardQueries.ALL.size(); i++) {
                    long t0 = System.nanoTime();
                    try (ResultSet rs = s.executeQuery(DashboardQueries.ALL.get(i).sql())) {
                        while (rs.next()) {
                            rs.getObject(1); // fetch every row, as a dashboard does
                        }
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (round == 0) {
                        firstRoundMax = Math.max(firstRoundMax, ms);
                    } else {
                        warm.addValue(ms);
                        perQuery.get(i).addValue(ms);
                    }
                }
            }
        }
        System.out.printf("qlake serve at %s: %d dashboard queries x %d warm rounds (JDBC, one connection)%n",
                address, DashboardQueries.ALL.size(), rounds);
        for (int i = 0; i < DashboardQueries.ALL.size(); i++) {
            DashboardQueries.Query q = DashboardQueries.ALL.get(i);
            System.out.printf("  %-20s %-42s median %7.0f ms%n", q.user(), q.name(), perQuery.get(i).getPercentile(50));
        }
        System.out.printf("  all warm queries: p50 %.0f ms, p95 %.0f ms, max %.0f ms; first round (cold caches) max %.0f ms%n",
                warm.getPercentile(50), warm.getPercentile(95), warm.getMax(), firstRoundMax);
    }

    /** Wall time of bin/qlake's java command for qlake sql, in seconds. */
    private double cli(List<String> mode, String sql) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect") || a.startsWith("-XX:+Ignore")
                        || a.startsWith("-Duser.timezone") || a.startsWith("-Dqlake.log")).toList());
        if (mode.contains("--server")) { // the lean client JVM bin/qlake starts when a server answers
            cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory",
                    "-Dorg.apache.logging.log4j.simplelog.level=OFF"));
        }
        cmd.addAll(List.of("-Xmx2g", "-cp", System.getProperty("java.class.path"), spec.root().userObject().getClass().getName(),
                "sql", "--lake", lake, "--format", "csv"));
        cmd.addAll(mode);
        cmd.add(sql);
        long t0 = System.nanoTime();
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!proc.waitFor(10, TimeUnit.MINUTES) || proc.exitValue() != 0) {
            proc.destroyForcibly();
            throw new IllegalStateException("qlake sql " + String.join(" ", mode) + " failed (exit " + proc.exitValue() + ")");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
