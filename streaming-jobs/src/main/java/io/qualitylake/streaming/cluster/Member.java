package io.qualitylake.streaming.cluster;

import java.util.List;
import java.util.Map;

/**
 * One process of the local cluster: its name (also its folder under DIR), the JVM options, main class and
 * arguments it starts with, extra environment, and the port it listens on (0 when it picks a free one).
 */
record Member(String name, String kind, List<String> jvm, String main, List<String> args, Map<String, String> env, int port) {
    /** First on the command line: how {@code down} tells our process from another that reused its pid. */
    String roleMarker() {
        return "-Dqlake.role=qlake-cluster-" + name;
    }
}
