package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * HDFS for the local cluster ({@code qlake cluster up --hdfs}): a NameNode and a DataNode, each its own JVM, from
 * Hadoop's own {@code hadoop-client-minicluster} 3.3.6 jar (it holds the HDFS server classes) next to the
 * {@code hadoop-client-api}/{@code -runtime} jars the engines already use. NameNode RPC at BASE+51 (the lake:
 * {@code hdfs://localhost:BASE+51/lake}), its HTTP (JMX) at BASE+52, the DataNode at BASE+53..55. Replication 1
 * (one DataNode), permissions off. {@code DIR/hdfs-conf} holds core-site.xml and hdfs-site.xml (on the class path of
 * both nodes), {@code DIR/hdfs-namenode/name} and {@code DIR/hdfs-datanode/data} the metadata and blocks.
 */
final class HdfsNodes {
    static final String NAMENODE = "hdfs-namenode";
    static final String DATANODE = "hdfs-datanode";

    private HdfsNodes() {}

    /** Whether the cluster in the layout's folder runs HDFS ({@code up --hdfs} left {@code DIR/hdfs-conf}). */
    static boolean enabled(ClusterLayout l) {
        return Files.isRegularFile(conf(l).resolve("hdfs-site.xml"));
    }

    static int nameNodePort(ClusterLayout l) {
        return l.basePort() + 51;
    }

    static int httpPort(ClusterLayout l) {
        return l.basePort() + 52;
    }

    static String uri(ClusterLayout l) {
        return "hdfs://localhost:" + nameNodePort(l);
    }

    private static Path conf(ClusterLayout l) {
        return l.dir().resolve("hdfs-conf");
    }

    /**
     * Called by {@code up} before anything starts: with {@code on}, writes the configuration (the marker that the
     * cluster has HDFS) after checking its ports; without, removes it, so a folder reused without --hdfs has none.
     */
    static void configure(ClusterLayout l, boolean on) {
        try {
            if (!on) {
                Files.deleteIfExists(conf(l).resolve("hdfs-site.xml"));
                return;
            }
            for (int p = nameNodePort(l); p <= l.basePort() + 55; p++) {
                LocalCluster.requireFree(p);
            }
            Files.createDirectories(conf(l));
            Files.writeString(conf(l).resolve("core-site.xml"), xml(Map.of("fs.defaultFS", uri(l))), StandardCharsets.UTF_8);
            Map<String, String> site = new java.util.TreeMap<>(Map.of(
                    "dfs.namenode.name.dir", l.dir().resolve(NAMENODE).resolve("name").toUri().toString(),
                    "dfs.datanode.data.dir", l.dir().resolve(DATANODE).resolve("data").toUri().toString(),
                    "dfs.namenode.rpc-address", "localhost:" + nameNodePort(l),
                    "dfs.namenode.http-address", "localhost:" + httpPort(l),
                    "dfs.datanode.address", "localhost:" + (l.basePort() + 53),
                    "dfs.datanode.http.address", "localhost:" + (l.basePort() + 54),
                    "dfs.datanode.ipc.address", "localhost:" + (l.basePort() + 55),
                    "dfs.replication", "1",
                    "dfs.permissions.enabled", "false"));
            site.put("dfs.namenode.safemode.extension", "0"); // one DataNode: no reason to wait 30 s after its report
            site.put("dfs.heartbeat.interval", "1");
            site.put("dfs.namenode.heartbeat.recheck-interval", "10000");
            Files.writeString(conf(l).resolve("hdfs-site.xml"), xml(site), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two processes (none when the cluster has no HDFS). */
    static List<Member> members(ClusterLayout l, Classpaths cp, String logOpt) {
        if (!enabled(l)) {
            return List.of();
        }
        String classPath = conf(l) + ":" + cp.hdfs();
        List<Member> m = new ArrayList<>();
        m.add(new Member(NAMENODE, "hdfs-nn", List.of("-Xmx384m", "-XX:+UseG1GC", logOpt, "-cp", classPath),
                "org.apache.hadoop.hdfs.server.namenode.NameNode", List.of(), Map.of(), nameNodePort(l)));
        m.add(new Member(DATANODE, "hdfs-dn", List.of("-Xmx256m", "-XX:+UseG1GC", logOpt, "-cp", classPath),
                "org.apache.hadoop.hdfs.server.datanode.DataNode", List.of(), Map.of(), l.basePort() + 53));
        return m;
    }

    /** {@code NameNode -format}, once: a kept name folder (an earlier up) is not formatted again. */
    static void format(ClusterLayout l, Member nameNode) {
        if (Files.isDirectory(l.dir().resolve(NAMENODE).resolve("name").resolve("current"))) {
            return;
        }
        Path log = l.dir().resolve(NAMENODE).resolve("format.log");
        try {
            Files.createDirectories(log.getParent());
            List<String> cmd = new ArrayList<>(List.of(BackgroundProcess.javaBin()));
            cmd.addAll(nameNode.jvm());
            cmd.addAll(List.of(nameNode.main(), "-format", "-force", "-nonInteractive"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("formatting the HDFS NameNode failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the NameNode");
        }
    }

    /** The NameNode is out of safe mode with its DataNode live (its JMX over HTTP). */
    static boolean ready(ClusterLayout l) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort(l)
                    + "/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String b = r.body().replace(" ", "");
            return r.statusCode() == 200 && b.contains("\"FSState\":\"Operational\"") && b.contains("\"NumLiveDataNodes\":1");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A one-line error unless the lake URI points at this cluster's HDFS (used by fault-test). */
    static void requireOurs(ClusterLayout l, String lake) {
        if (lake.startsWith("hdfs://") && !(enabled(l) && (lake.equals(uri(l)) || lake.startsWith(uri(l) + "/")))) {
            throw new UserError("--lake " + lake + " is not on this cluster's HDFS (" + (enabled(l) ? uri(l) + "/..."
                    : "the cluster runs without HDFS; start it with: qlake cluster up --hdfs") + ")");
        }
    }

    /** Waits for {@link #ready}, failing early when a node has exited. */
    static void await(LocalCluster c, Instant deadline) {
        while (Instant.now().isBefore(deadline)) {
            if (ready(c.layout())) {
                return;
            }
            for (String n : List.of(NAMENODE, DATANODE)) {
                if (c.running(c.member(n)).isEmpty()) {
                    throw new IllegalStateException(n + " exited at start; see " + c.log(c.member(n)));
                }
            }
            BackgroundProcess.sleepQuietly(500);
        }
        throw new IllegalStateException("HDFS did not leave safe mode with its DataNode in time; see " + c.layout().dir()
                + "/hdfs-*/process.log");
    }

    private static String xml(Map<String, String> props) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        props.forEach((k, v) -> b.append("  <property><name>").append(k).append("</name><value>").append(v).append("</value></property>\n"));
        return b.append("</configuration>\n").toString();
    }
}
