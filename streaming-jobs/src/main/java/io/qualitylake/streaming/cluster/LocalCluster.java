package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * {@code qlake cluster}: a 3-broker KRaft Kafka cluster, a Flink standalone cluster (JobManager + TaskManagers)
 * and a Spark standalone master + workers, each process its own JVM on localhost, started from the project's
 * own Maven jars. Each process's pid, port and log live in {@code DIR/<name>/}; {@code down} finds them
 * through those pid files only (a pid reused by another program is told apart by the role marker).
 */
public final class LocalCluster {
    private final ClusterLayout layout;
    private final ClusterFiles files;
    private final List<Member> members;

    LocalCluster(ClusterLayout layout, Classpaths cp) {
        this.layout = layout;
        this.files = new ClusterFiles(layout, cp);
        this.members = files.members();
    }

    /** The cluster that {@code up} started in DIR. */
    static LocalCluster open(Path dir) {
        return new LocalCluster(ClusterLayout.load(dir), new Classpaths(Classpaths.locate()));
    }

    ClusterLayout layout() {
        return layout;
    }

    List<Member> members() {
        return members;
    }

    Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cluster process " + name));
    }

    private BackgroundProcess process(Member m) {
        return new BackgroundProcess(layout.dir().resolve(m.name()), "pid", "port", m.roleMarker());
    }

    Optional<ProcessHandle> running(Member m) {
        return process(m).running();
    }

    Path log(Member m) {
        return layout.dir().resolve(m.name()).resolve("process.log");
    }

    /**
     * Starts every process and waits until Kafka has all brokers, Flink all TaskManagers and Spark all workers.
     * Ports in use or too little memory: a one-line error before anything starts; a process that fails to
     * come up: everything started is stopped again.
     */
    void up(Duration timeout) {
        up(timeout, false);
    }

    /** With {@code secure} (or a DIR secured before): Kafka with SASL_SSL, SCRAM users and ACLs ({@link ClusterSecurity}). */
    void up(Duration timeout, boolean secure) {
        if (members.stream().anyMatch(m -> running(m).isPresent())) {
            throw new UserError("a cluster is already running in " + layout.dir() + " (qlake cluster status / down --dir " + layout.dir() + ")");
        }
        for (int port : layout.fixedPorts()) {
            requireFree(port);
        }
        requireMemory();
        if (secure || ClusterSecurity.enabled(layout)) {
            ClusterSecurity.prepare(layout);
        }
        layout.save();
        files.write();
        try {
            formatBrokers();
            if (HdfsNodes.enabled(layout)) {
                HdfsNodes.format(layout, member(HdfsNodes.NAMENODE));
            }
            Instant deadline = Instant.now().plus(timeout);
            for (Member m : members) {
                if (m.kind().equals("flink-jm")) {
                    ClusterReady.kafka(this, deadline);
                }
                if (m.kind().equals("spark-worker") && !accepts(layout.sparkMasterPort())) {
                    ClusterReady.port(this, member("spark-master"), deadline);
                }
                start(m);
            }
            ClusterReady.all(this, deadline);
            ClusterSecurity.provision(layout, Duration.between(Instant.now(), deadline).plusSeconds(30));
        } catch (RuntimeException e) {
            down();
            throw e;
        }
    }

    /** Starts one process (also a restart after a fault), not waiting for it to be ready. */
    void start(Member m) {
        try {
            Files.createDirectories(layout.dir().resolve(m.name()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(m.jvm());
        cmd.add(m.main());
        cmd.addAll(m.args());
        process(m).start(cmd, log(m), Integer.toString(m.port()), m.env());
    }

    /** SIGKILL, as a crash would: no shutdown hooks, no clean leave. True if it was running. */
    boolean kill(Member m) {
        Optional<ProcessHandle> h = running(m);
        h.ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
        return h.isPresent();
    }

    /** Stops every process of DIR (reverse order: workers before masters), also those a crash left behind. */
    List<String> down() {
        List<String> stopped = new ArrayList<>();
        for (int i = members.size() - 1; i >= 0; i--) {
            Member m = members.get(i);
            Optional<ProcessHandle> h = running(m);
            List<ProcessHandle> tree = new ArrayList<>();
            h.ifPresent(p -> {
                tree.addAll(p.descendants().toList());
                tree.add(p);
            });
            if (process(m).stop(Duration.ofSeconds(m.kind().equals("kafka") ? 20 : 10))) {
                stopped.add(m.name());
            }
            tree.forEach(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> p).join());
        }
        return stopped;
    }

    /** One line per process: name, pid, port, alive. */
    List<String> status() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-20s %8s %6s %s", "process", "pid", "port", "alive"));
        for (Member m : members) {
            Optional<ProcessHandle> h = running(m);
            lines.add(String.format("%-20s %8s %6s %s", m.name(), h.map(p -> Long.toString(p.pid())).orElse("-"),
                    m.port() == 0 ? "auto" : Integer.toString(m.port()), h.isPresent() ? "yes" : "no"));
        }
        return lines;
    }

    boolean accepts(int port) {
        return BackgroundProcess.accepts("localhost", port);
    }

    /** Kafka admin client of this cluster, with short timeouts. */
    Admin admin() {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, layout.bootstrap());
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        ClusterSecurity.adminProperties(layout, p);
        return Admin.create(p);
    }

    private void formatBrokers() {
        String clusterId = Uuid.randomUuid().toString();
        List<Process> running = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 1; i <= layout.brokers(); i++) {
                if (Files.exists(files.brokerData(i).resolve("meta.properties"))) {
                    continue; // kept from an earlier up
                }
                Member m = member("kafka-" + i);
                Path log = layout.dir().resolve(m.name()).resolve("format.log");
                List<String> cmd = new ArrayList<>(List.of(BackgroundProcess.javaBin(), "-Xmx256m"));
                cmd.addAll(m.jvm().subList(m.jvm().indexOf("-cp"), m.jvm().indexOf("-cp") + 2));
                cmd.addAll(List.of("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t", clusterId, "-c", m.args().get(0)));
                running.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
                logs.add(log);
            }
            for (int i = 0; i < running.size(); i++) {
                Process p = running.get(i);
                if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("formatting the broker storage failed; see " + logs.get(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the brokers");
        }
    }

    /** Like the servers themselves, binds with SO_REUSEADDR: a port left in TIME_WAIT by a stopped cluster is free. */
    static void requireFree(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new java.net.InetSocketAddress("localhost", port));
        } catch (IOException e) {
            throw new UserError("port " + port + " is already in use on localhost; the cluster needs --base-port+11..41"
                    + " (choose another --base-port)");
        }
    }

    /** Each process's heap plus what it starts (TaskManager direct memory, Spark executors), against MemAvailable. */
    private void requireMemory() {
        long needMb = layout.brokers() * 512L + 700 + layout.taskManagers() * 1500L
                + (layout.spark() ? 400 + layout.sparkWorkers() * 2400L : 0);
        long availMb = availableMb();
        if (availMb > 0 && availMb < needMb) {
            throw new UserError(String.format("too little memory for the cluster: it needs about %,d MB, %,d MB are available"
                    + " (use fewer processes: --no-spark)", needMb, availMb));
        }
    }

    static long availableMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no check
        }
        return -1;
    }
}
