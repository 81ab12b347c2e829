package io.qualitylake.streaming.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qlake cluster up|down|status}: the local multi-process cluster. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"A local cluster from the project's own jars, each process its own JVM on localhost:",
                "3 KRaft Kafka brokers (replication 3, min.insync.replicas 2), a Flink standalone cluster",
                "(JobManager + 2 TaskManagers) and a Spark standalone master + 2 workers."},
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
public class ClusterCommand implements Callable<Integer> {
    static final String DEFAULT_DIR = ".qlake/cluster";

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing subcommand: up, down or status");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start every process and wait until the cluster serves.")
    static class Up implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "State folder (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--base-port", defaultValue = "" + ClusterLayout.DEFAULT_BASE_PORT,
                description = "Ports are BASE+11..13 (Kafka), +21..23 (controllers), +31..33 (Flink), +41 (Spark), +51..55 (HDFS), +61..63 (brokers' TLS with --secure) (default: ${DEFAULT-VALUE}).")
        int basePort;

        @Option(names = "--no-spark", description = "Start Kafka and Flink only.")
        boolean noSpark;

        @Option(names = "--hdfs", description = "Also an HDFS NameNode + DataNode (ports BASE+51..55) for a lake at hdfs://localhost:BASE+51/...")
        boolean hdfs;

        @Option(names = "--secure", description = {"Kafka with SASL_SSL (SCRAM-SHA-512 users, a self-signed CA made here) and ACLs;",
                "brokers' own TLS ports BASE+61..63; client files of the users admin, qlake, guest in DIR/security/"})
        boolean secure;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180", description = "How long to wait for readiness (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--verbose", description = "Show engine logs and stack traces.")
        boolean verbose;

        @Override
        public Integer call() {
            if (basePort < 1024 || basePort > 65000) {
                throw new io.qualitylake.cli.UserError("--base-port must be between 1024 and 65000");
            }
            long t0 = System.nanoTime();
            ClusterLayout layout = new ClusterLayout(dir, basePort, 3, 2, 2, !noSpark);
            HdfsNodes.configure(layout, hdfs);
            LocalCluster cluster = new LocalCluster(layout, new Classpaths(Classpaths.locate()));
            cluster.up(Duration.ofSeconds(timeoutSeconds), secure);
            System.out.printf("cluster up in %.1f s (state in %s)%n", (System.nanoTime() - t0) / 1e9, layout.dir());
            cluster.status().forEach(System.out::println);
            System.out.println("kafka bootstrap=" + layout.bootstrap());
            ClusterSecurity.describe(layout).forEach(System.out::println);
            System.out.println("flink rest=" + layout.flinkRest());
            if (layout.spark()) {
                System.out.println("spark master=" + layout.sparkMaster());
            }
            if (hdfs) {
                System.out.println("hdfs=" + HdfsNodes.uri(layout) + " (a lake: --lake " + HdfsNodes.uri(layout) + "/lake)");
            }
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process of --dir (also after a crash).")
    static class Down implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "State folder (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--verbose", description = "Show engine logs and stack traces.")
        boolean verbose;

        @Override
        public Integer call() {
            List<String> stopped = LocalCluster.open(dir).down();
            System.out.println(stopped.isEmpty() ? "nothing was running in " + dir.toAbsolutePath().normalize()
                    : "stopped " + stopped.size() + " process(es): " + String.join(", ", stopped));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Each process of --dir: pid, port, alive.")
    static class Status implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR, description = "State folder (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() {
            LocalCluster c = LocalCluster.open(dir);
            c.status().forEach(System.out::println);
            return c.members().stream().allMatch(m -> c.running(m).isPresent()) ? 0 : 3;
        }
    }
}
