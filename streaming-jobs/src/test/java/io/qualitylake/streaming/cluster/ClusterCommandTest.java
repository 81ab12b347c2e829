package io.qualitylake.streaming.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qlake cluster / fault-test mistakes: one line, exit 2, and nothing started half-way. */
class ClusterCommandTest {
    @TempDir
    Path tmp;

    private static String fails(String... args) {
        return io.qualitylake.streaming.CliMistakes.fails(args);
    }

    @Test
    void portInUseStartsNothing() throws Exception {
        Path dir = tmp.resolve("c");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("localhost", 0));
            int base = taken.getLocalPort() - 12; // the second broker's port
            String msg = fails("cluster", "up", "--dir", dir.toString(), "--base-port", Integer.toString(base));
            assertTrue(msg.contains("port " + taken.getLocalPort() + " is already in use"), msg);
        }
        assertFalse(Files.exists(dir.resolve("cluster.properties")), "nothing written");
        assertFalse(Files.exists(dir.resolve("kafka-1")), "nothing started");
    }

    @Test
    void noClusterIsOneLine() {
        Path dir = tmp.resolve("none");
        assertTrue(fails("cluster", "status", "--dir", dir.toString()).contains("no cluster in"));
        assertTrue(fails("cluster", "down", "--dir", dir.toString()).contains("no cluster in"));
        assertTrue(fails("fault-test", "--dir", dir.toString()).contains("qlake cluster up"));
        assertTrue(fails("cluster", "up", "--dir", dir.toString(), "--base-port", "80").contains("--base-port"));
        assertTrue(fails("fault-test", "--dir", dir.toString(), "--rounds", "0").contains("--rounds"));
    }

    @Test
    void hdfsPortInUseAndAForeignHdfsLakeAreOneLine() throws Exception {
        Path dir = tmp.resolve("h");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("localhost", 0));
            int base = taken.getLocalPort() - 51; // the NameNode's port
            String msg = fails("cluster", "up", "--hdfs", "--dir", dir.toString(), "--base-port", Integer.toString(base));
            assertTrue(msg.contains("port " + taken.getLocalPort() + " is already in use"), msg);
        }
        assertFalse(Files.exists(dir.resolve("kafka-1")), "nothing started");
        // a cluster folder whose cluster runs without HDFS: an hdfs:// lake is refused before anything is checked
        new ClusterLayout(tmp.resolve("k"), 39500, 3, 2, 2, true).save();
        String msg = fails("fault-test", "--dir", tmp.resolve("k").toString(), "--lake", "hdfs://localhost:1/lake");
        assertTrue(msg.contains("not on this cluster's HDFS") && msg.contains("cluster up --hdfs"), msg);
        assertTrue(fails("fault-test", "--dir", tmp.resolve("k").toString(), "--spark-runs", "0").contains("--spark-runs"));
    }
}
