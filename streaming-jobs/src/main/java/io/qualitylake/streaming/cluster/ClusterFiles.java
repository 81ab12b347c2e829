package io.qualitylake.streaming.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration files and command lines of the cluster's processes, sized for a 2-core, 24 GB machine:
 * brokers 384 MB heap, JobManager 512 MB, TaskManagers 2 slots and ~0.8 GB each, Spark master 256 MB,
 * workers 1 core and 2 GB for executors each.
 */
final class ClusterFiles {
    /** What Flink's distribution puts in env.java.opts.all for Java 17 (flink-dist is not in the mirror). */
    static final List<String> FLINK_OPENS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");
    /** What Spark 3.5 needs on Java 17 (../shared/STACK.md). */
    static final List<String> SPARK_OPENS;

    static {
        List<String> s = new ArrayList<>(List.of("-XX:+IgnoreUnrecognizedVMOptions", "-Duser.timezone=UTC"));
        for (String p : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
                "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
                "sun.security.action", "sun.util.calendar")) {
            s.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
        }
        SPARK_OPENS = List.copyOf(s);
    }

    private final ClusterLayout layout;
    private final Classpaths cp;

    ClusterFiles(ClusterLayout layout, Classpaths cp) {
        this.layout = layout;
        this.cp = cp;
    }

    Path log4j() {
        return layout.dir().resolve("log4j2.xml");
    }

    Path sparkHome() {
        return layout.dir().resolve("spark-home");
    }

    /** All processes, in start order. */
    List<Member> members() {
        List<Member> m = new ArrayList<>();
        String logOpt = "-Dlog4j2.configurationFile=" + log4j().toUri();
        m.addAll(HdfsNodes.members(layout, cp, logOpt)); // none without --hdfs
        for (int i = 1; i <= layout.brokers(); i++) {
            m.add(new Member("kafka-" + i, "kafka", List.of("-Xms256m", "-Xmx384m", "-XX:+UseG1GC", logOpt, "-cp", cp.kafka()),
                    "kafka.Kafka", List.of(layout.dir().resolve("kafka-" + i).resolve("server.properties").toString()),
                    Map.of(), layout.brokerPort(i)));
        }
        List<String> flinkJvm = new ArrayList<>(FLINK_OPENS);
        flinkJvm.addAll(List.of("-Xms512m", "-Xmx512m", logOpt, "-cp", cp.flink()));
        m.add(new Member("flink-jobmanager", "flink-jm", flinkJvm,
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of("--configDir", layout.flinkConf().toString()), Map.of(), layout.flinkRestPort()));
        for (int i = 1; i <= layout.taskManagers(); i++) {
            List<String> tm = new ArrayList<>(FLINK_OPENS);
            // heap = framework heap + task heap; direct = framework off-heap + task off-heap + network (config.yaml)
            tm.addAll(List.of("-Xms448m", "-Xmx448m", "-XX:MaxDirectMemorySize=192m", "-XX:MaxMetaspaceSize=768m", logOpt,
                    "-cp", cp.flink()));
            m.add(new Member("flink-taskmanager-" + i, "flink-tm", tm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    List.of("--configDir", layout.flinkConf().toString(), "-D", "taskmanager.resource-id=tm-" + i,
                            "-D", "io.tmp.dirs=" + layout.dir().resolve("flink-taskmanager-" + i).resolve("tmp")), Map.of(), 0));
        }
        if (layout.spark()) {
            Map<String, String> env = Map.of("SPARK_HOME", sparkHome().toString(), "SPARK_SCALA_VERSION", "2.12",
                    "SPARK_LOG_DIR", sparkHome().resolve("logs").toString());
            List<String> master = new ArrayList<>(SPARK_OPENS);
            master.addAll(List.of("-Xmx256m", logOpt, "-cp", sparkHome().resolve("jars") + "/*"));
            m.add(new Member("spark-master", "spark-master", master, "org.apache.spark.deploy.master.Master",
                    List.of("--host", "127.0.0.1", "--port", Integer.toString(layout.sparkMasterPort()), "--webui-port", "0"),
                    env, layout.sparkMasterPort()));
            for (int i = 1; i <= layout.sparkWorkers(); i++) {
                List<String> w = new ArrayList<>(SPARK_OPENS);
                w.addAll(List.of("-Xmx256m", logOpt, "-cp", sparkHome().resolve("jars") + "/*"));
                m.add(new Member("spark-worker-" + i, "spark-worker", w, "org.apache.spark.deploy.worker.Worker",
                        List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", "0", "--work-dir",
                                layout.dir().resolve("spark-worker-" + i).resolve("work").toString(), layout.sparkMaster()), env, 0));
            }
        }
        return m;
    }

    /** Writes every configuration file (idempotent: kept data folders are not touched). */
    void write() {
        try {
            Files.createDirectories(layout.dir());
            Files.writeString(log4j(), LOG4J, StandardCharsets.UTF_8);
            for (int i = 1; i <= layout.brokers(); i++) {
                writeBroker(i);
            }
            writeFlink();
            if (layout.spark()) {
                writeSparkHome();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path brokerData(int i) {
        return layout.dir().resolve("kafka-" + i).resolve("data");
    }

    private void writeBroker(int i) throws IOException {
        Properties p = new Properties();
        List<String> voters = new ArrayList<>();
        for (int j = 1; j <= layout.brokers(); j++) {
            voters.add(j + "@localhost:" + layout.controllerPort(j));
        }
        int rf = Math.min(3, layout.brokers());
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(i));
        p.setProperty("controller.quorum.voters", String.join(",", voters));
        p.setProperty("listeners", "PLAINTEXT://localhost:" + layout.brokerPort(i) + ",CONTROLLER://localhost:" + layout.controllerPort(i));
        p.setProperty("advertised.listeners", "PLAINTEXT://localhost:" + layout.brokerPort(i));
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", brokerData(i).toString());
        p.setProperty("num.partitions", "2");
        p.setProperty("default.replication.factor", Integer.toString(rf));
        p.setProperty("min.insync.replicas", Integer.toString(Math.min(2, rf)));
        p.setProperty("unclean.leader.election.enable", "false");
        p.setProperty("offsets.topic.replication.factor", Integer.toString(rf));
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", Integer.toString(rf));
        p.setProperty("transaction.state.log.min.isr", Integer.toString(Math.min(2, rf)));
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", Integer.toString(rf));
        p.setProperty("share.coordinator.state.topic.min.isr", Integer.toString(Math.min(2, rf)));
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("log.retention.hours", "168");
        // a restarted broker rejoins the ISR within seconds on this machine
        p.setProperty("replica.lag.time.max.ms", "10000");
        ClusterSecurity.applyBroker(layout, p, i);
        Path dir = layout.dir().resolve("kafka-" + i);
        Files.createDirectories(dir);
        io.qualitylake.ingestion.kafka.KafkaSecurity.createOwnerOnly(dir.resolve("server.properties"));
        try (Writer w = Files.newBufferedWriter(dir.resolve("server.properties"), StandardCharsets.UTF_8)) {
            p.store(w, "qlake cluster: KRaft broker+controller " + i + " of " + layout.brokers());
        }
    }

    private void writeFlink() throws IOException {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jobmanager.rpc.address", "localhost");
        c.put("jobmanager.rpc.port", Integer.toString(layout.jobManagerRpcPort()));
        c.put("jobmanager.bind-host", "localhost");
        c.put("rest.address", "localhost");
        c.put("rest.bind-address", "localhost");
        c.put("rest.port", Integer.toString(layout.flinkRestPort()));
        c.put("blob.server.port", Integer.toString(layout.blobPort()));
        c.put("taskmanager.host", "localhost");
        c.put("taskmanager.bind-host", "localhost");
        c.put("taskmanager.numberOfTaskSlots", "2");
        // TaskManagerRunner started without Flink's scripts needs every size explicitly
        c.put("taskmanager.cpu.cores", "1");
        c.put("taskmanager.memory.framework.heap.size", "128m");
        c.put("taskmanager.memory.task.heap.size", "320m");
        c.put("taskmanager.memory.framework.off-heap.size", "96m");
        c.put("taskmanager.memory.task.off-heap.size", "0m");
        c.put("taskmanager.memory.network.min", "64m");
        c.put("taskmanager.memory.network.max", "64m");
        c.put("taskmanager.memory.managed.size", "64m");
        // each job (and each resubmission) loads the job jar's classes in its own class loader, and Kafka/Parquet
        // threads keep some alive: 256 MB ran out after ~10 jobs on one TaskManager (OutOfMemoryError: Metaspace)
        c.put("taskmanager.memory.jvm-metaspace.size", "768m");
        c.put("taskmanager.memory.jvm-overhead.min", "192m");
        c.put("taskmanager.memory.jvm-overhead.max", "192m");
        c.put("jobmanager.memory.process.size", "768m");
        // a SIGKILLed TaskManager is noticed in seconds, not Flink's default 50 s
        c.put("heartbeat.interval", "2000");
        c.put("heartbeat.timeout", "8000");
        c.put("heartbeat.rpc-failure-threshold", "2");
        c.put("taskmanager.load-balance.mode", "slots"); // spread the job over both TaskManagers
        c.put("classloader.check-leaked-classloader", "false");
        c.put("web.tmpdir", layout.dir().resolve("flink-jobmanager").resolve("web").toString());
        c.put("io.tmp.dirs", layout.dir().resolve("flink-jobmanager").resolve("tmp").toString());
        Files.createDirectories(layout.flinkConf());
        StringBuilder yaml = new StringBuilder("# qlake cluster: Flink standalone session cluster\n");
        c.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.writeString(layout.flinkConf().resolve("config.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        Files.writeString(layout.flinkConf().resolve("log4j.properties"), "rootLogger.level = INFO\n", StandardCharsets.UTF_8);
    }

    /** A Spark "distribution" of symlinks to the Maven jars: workers start executors from SPARK_HOME/jars. */
    private void writeSparkHome() throws IOException {
        Path jars = sparkHome().resolve("jars");
        Files.createDirectories(jars);
        Files.createDirectories(sparkHome().resolve("logs"));
        Files.writeString(sparkHome().resolve("RELEASE"), "Spark 3.5 jars from the local Maven repository (qlake cluster)\n");
        for (String j : cp.spark()) {
            Path target = Path.of(j);
            Path link = jars.resolve(target.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(target)) {
                Files.createSymbolicLink(link, target);
            }
        }
    }

    private static final String LOG4J = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!-- qlake cluster: each process logs to its own DIR/<name>/process.log -->
            <Configuration status="ERROR">
              <Appenders>
                <Console name="out" target="SYSTEM_OUT">
                  <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Logger name="org.apache.kafka" level="WARN"/>
                <Logger name="kafka" level="WARN"/>
                <Logger name="org.apache.spark" level="INFO"/>
                <Logger name="org.apache.flink" level="INFO"/>
                <Root level="WARN"><AppenderRef ref="out"/></Root>
              </Loggers>
            </Configuration>
            """;
}
