package io.qualitylake.ingestion.kafka;

import io.qualitylake.cli.BackgroundProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker for development, run as a separate JVM from the project's own
 * jars (kafka_2.13 is on the ingestion module's local classpath): no download, no Docker.
 * State lives in DIR: server.properties, data/, broker.log and broker.pid.
 */
public final class LocalKafka {
    public static final int DEFAULT_PORT = 9092;
    private static final String PID_FILE = "broker.pid";
    private static final String PORT_FILE = "broker.port";
    /** First on the broker's command line, so a reused pid of another program is never taken for ours
     * (the OS reports only the first 4 KiB of a command line, and the classpath is longer). */
    private static final String ROLE_MARKER = "-Dqlake.role=local-kafka";

    private final Path dir;
    private final BackgroundProcess process;

    public LocalKafka(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.process = new BackgroundProcess(this.dir, PID_FILE, PORT_FILE, ROLE_MARKER);
    }

    public Path dir() {
        return dir;
    }

    /** Starts the broker (formatting DIR on first use) and waits until it serves requests. */
    public String start(int port, Duration timeout) {
        return start(port, timeout, false);
    }

    /**
     * Starts the broker; with {@code secure} (or when DIR was started secured before) SASL_SSL with SCRAM users
     * and ACLs ({@link KafkaSecurity}): the brokers' own mutual-TLS listener then takes port + 2.
     */
    public String start(int port, Duration timeout, boolean secure) {
        Optional<ProcessHandle> running = runningBroker();
        if (running.isPresent()) {
            return "localhost:" + readPort().orElse(port);
        }
        int controllerPort = port + 1;
        requireFree(port, "--port");
        requireFree(controllerPort, "the controller port (--port + 1)");
        KafkaSecurity security = null;
        if (secure || KafkaSecurity.enabled(dir)) {
            requireFree(port + 2, "the brokers' TLS port (--port + 2)");
            security = KafkaSecurity.create(dir);
        }
        try {
            Files.createDirectories(dir);
            Path props = writeServerProperties(port, controllerPort, security);
            if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                format(props);
            }
            Path log = dir.resolve("broker.log");
            Process p = process.start(List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC",
                    "-Dqlake.log.level=INFO", "-cp", System.getProperty("java.class.path"),
                    "kafka.Kafka", props.toString()), log, Integer.toString(port));
            String bootstrap = "localhost:" + port;
            Properties admin = security == null ? new Properties() : security.internalAdmin("localhost:" + (port + 2));
            waitReady(p, bootstrap, admin, timeout, log);
            if (security != null) {
                security.provision("localhost:" + (port + 2), bootstrap, new Properties(), timeout);
            }
            return bootstrap;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the broker of DIR (SIGTERM, then SIGKILL after the grace period). True if one was running. */
    public boolean stop(Duration grace) {
        return process.stop(grace);
    }

    /** The live broker process started for DIR, if any (a stale pid of another program is ignored). */
    public Optional<ProcessHandle> runningBroker() {
        return process.running();
    }

    public Optional<Integer> readPort() {
        try {
            return process.address().map(Integer::parseInt);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private Path writeServerProperties(int port, int controllerPort, KafkaSecurity security) throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.bootstrap.servers", "localhost:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("num.partitions", "2");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "true");
        p.setProperty("log.retention.hours", "168");
        if (security != null) {
            security.applyBroker(p, port, port + 2, controllerPort, true);
        }
        Path file = dir.resolve("server.properties");
        KafkaSecurity.createOwnerOnly(file); // it holds the keystore password when secured
        try (var w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "QualityLake local development broker (qlake kafka start)");
        }
        return file;
    }

    private void format(Path props) throws IOException {
        List<String> cmd = List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                "kafka.tools.StorageTool", "format", "--standalone", "--ignore-formatted",
                "-t", Uuid.randomUuid().toString(), "-c", props.toString());
        Path log = dir.resolve("format.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the broker storage failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting " + dir);
        }
    }

    private void waitReady(Process p, String bootstrap, Properties adminClient, Duration timeout, Path log) {
        Instant deadline = Instant.now().plus(timeout);
        Properties admin = new Properties();
        admin.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        admin.putAll(adminClient);
        admin.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        admin.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the broker exited at start (exit " + p.exitValue() + "); see " + log);
            }
            if (accepts(bootstrap)) {
                try (Admin a = Admin.create(admin)) {
                    a.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // still starting
                }
            }
            sleepQuietly(200);
        }
        stop(Duration.ofSeconds(10));
        throw new IllegalStateException("the broker did not become ready within " + timeout.toSeconds() + " s; see " + log);
    }

    private static boolean accepts(String bootstrap) {
        String[] hp = bootstrap.split(":");
        return BackgroundProcess.accepts(hp[0], Integer.parseInt(hp[1]));
    }

    static void requireFree(int port, String what) {
        BackgroundProcess.requireFree("localhost", port, what);
    }

    private static String javaBin() {
        return BackgroundProcess.javaBin();
    }

    private static void sleepQuietly(long ms) {
        BackgroundProcess.sleepQuietly(ms);
    }
}
