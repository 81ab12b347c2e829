package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Where the local cluster's processes listen and what they may use, kept in {@code DIR/cluster.properties}
 * so that {@code status}, {@code down} and the fault test see the cluster that {@code up} started.
 * Every port is {@code base + offset}: Kafka brokers base+11..13 (controllers base+21..23), Flink
 * JobManager RPC base+31, REST base+32, blob base+33, Spark master base+41.
 */
record ClusterLayout(Path dir, int basePort, int brokers, int taskManagers, int sparkWorkers, boolean spark) {
    static final int DEFAULT_BASE_PORT = 19000;
    static final String FILE = "cluster.properties";

    ClusterLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    int brokerPort(int i) {
        return basePort + 10 + i;
    }

    int controllerPort(int i) {
        return basePort + 20 + i;
    }

    int jobManagerRpcPort() {
        return basePort + 31;
    }

    int flinkRestPort() {
        return basePort + 32;
    }

    int blobPort() {
        return basePort + 33;
    }

    int sparkMasterPort() {
        return basePort + 41;
    }

    String bootstrap() {
        List<String> s = new ArrayList<>();
        for (int i = 1; i <= brokers; i++) {
            s.add("localhost:" + brokerPort(i));
        }
        return String.join(",", s);
    }

    String sparkMaster() {
        return "spark://127.0.0.1:" + sparkMasterPort();
    }

    String flinkRest() {
        return "http://localhost:" + flinkRestPort();
    }

    /** Every port the cluster binds at a fixed number (TaskManagers and workers take free ones). */
    List<Integer> fixedPorts() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 1; i <= brokers; i++) {
            ports.add(brokerPort(i));
            ports.add(controllerPort(i));
        }
        ports.addAll(List.of(jobManagerRpcPort(), flinkRestPort(), blobPort()));
        if (spark) {
            ports.add(sparkMasterPort());
        }
        return ports;
    }

    /**
     * Client properties for the cluster (written by {@code up}): its bootstrap servers and admin/request timeouts
     * long enough for brokers on an overloaded 2-core machine (the client defaults of qlake are tuned to fail fast).
     */
    Path clientProperties() {
        return dir.resolve("client.properties");
    }

    Path flinkConf() {
        return dir.resolve("flink-conf");
    }

    void save() {
        Properties p = new Properties();
        p.setProperty("base.port", Integer.toString(basePort));
        p.setProperty("kafka.brokers", Integer.toString(brokers));
        p.setProperty("flink.taskmanagers", Integer.toString(taskManagers));
        p.setProperty("spark.workers", Integer.toString(sparkWorkers));
        p.setProperty("spark", Boolean.toString(spark));
        p.setProperty("bootstrap", bootstrap());
        p.setProperty("flink.rest", flinkRest());
        p.setProperty("spark.master", sparkMaster());
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap());
        client.setProperty("default.api.timeout.ms", "60000");
        client.setProperty("request.timeout.ms", "30000");
        try {
            Files.createDirectories(dir);
            try (Writer w = Files.newBufferedWriter(dir.resolve(FILE), StandardCharsets.UTF_8)) {
                p.store(w, "qlake cluster up");
            }
            try (Writer w = Files.newBufferedWriter(clientProperties(), StandardCharsets.UTF_8)) {
                client.store(w, "qlake cluster: client properties (qlake ... --kafka-properties " + clientProperties() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The layout {@code up} saved in DIR; a one-line error when there is none. */
    static ClusterLayout load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserError("no cluster in " + dir.toAbsolutePath().normalize() + " (start one with: qlake cluster up --dir " + dir + ")");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        return new ClusterLayout(dir, Integer.parseInt(p.getProperty("base.port")), Integer.parseInt(p.getProperty("kafka.brokers")),
                Integer.parseInt(p.getProperty("flink.taskmanagers")), Integer.parseInt(p.getProperty("spark.workers")),
                Boolean.parseBoolean(p.getProperty("spark")));
    }
}
