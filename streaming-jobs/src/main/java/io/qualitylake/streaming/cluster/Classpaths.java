package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The class paths of the cluster's processes, from the project's own build: each job module's
 * {@code target/classpath.txt} (+ {@code classpath-runtime.txt}) lists its engines' jars in the local
 * Maven repository. The engines' processes get those jars without any QualityLake class, so the job
 * jars submitted to them must bring their own code (as on a real cluster).
 */
final class Classpaths {
    /** Jars that are ours or our libraries, never an engine's: kept off the engine class paths. */
    private static final Pattern NOT_ENGINE = Pattern.compile(
            "/io/qualitylake/|/qlake-[a-z-]+-[0-9][^/]*\\.jar$|/target/classes$|/info/picocli/|/io/delta/|/com/amazon/deequ/"
                    + "|/org/knowm/|/de/erichseifert/|/de/rototor/|/org/apache/pdfbox/|/com/madgag/|/com/networknt/|/me/tongfei/");

    private final Path home;

    Classpaths(Path home) {
        this.home = home;
    }

    /** The project root: {@code -Dqlake.home} (set by bin/qlake), else found above this code's location. */
    static Path locate() {
        String prop = System.getProperty("qlake.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        try {
            Path p = Path.of(Classpaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (; p != null; p = p.getParent()) {
                if (Files.exists(p.resolve("ingestion/pom.xml")) && Files.exists(p.resolve("streaming-jobs/pom.xml"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through
        }
        throw new UserError("cannot find the QualityLake folder; run through bin/qlake or set -Dqlake.home");
    }

    Path home() {
        return home;
    }

    /** The Kafka broker: the ingestion module's local class path (kafka_2.13 is on it). */
    String kafka() {
        return String.join(":", engineJars("ingestion", null));
    }

    /**
     * Flink JobManager/TaskManager/CLI: Flink, Hadoop and logging jars, as flink-dist would have them. The job's
     * connectors and formats (Kafka, Parquet, Avro) stay in the job jar: Flink loads org.apache.flink.* parent-first,
     * so flink-parquet on the cluster class path would tie Parquet to the cluster's copy (a loader constraint violation).
     */
    String flink() {
        return String.join(":", engineJars("streaming-jobs",
                Pattern.compile("/org/apache/kafka/|/flink-connector-kafka[^/]*\\.jar$|/flink-parquet[^/]*\\.jar$|/flink-avro[^/]*\\.jar$"
                        + "|/org/apache/parquet/|/org/apache/avro/")));
    }

    /** Spark master, workers and spark-submit: Spark's jars only (the cluster jar brings Delta and our code). */
    List<String> spark() {
        return engineJars("batch-jobs", Pattern.compile("/org/apache/kafka/"));
    }

    /**
     * HDFS NameNode/DataNode: Hadoop's server jar and the log4j 1 API (copied to streaming-jobs/target/hdfs by the
     * build) before the Flink engine jars, which bring hadoop-client-api/-runtime and the logging the nodes need.
     */
    String hdfs() {
        Path dir = home.resolve("streaming-jobs").resolve("target").resolve("hdfs");
        List<String> jars = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : java.util.stream.Stream.empty()) {
            s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> jars.add(p.toString()));
        } catch (IOException e) {
            throw new UserError("cannot read " + dir + ": " + e.getMessage());
        }
        if (jars.stream().noneMatch(j -> j.contains("hadoop-client-minicluster"))) {
            throw new UserError("the HDFS jars are missing in " + dir + "; run: mvn -B -DskipTests package");
        }
        return String.join(":", jars) + ":" + flink();
    }

    Path clusterJar(String module) {
        Path jar = home.resolve(module).resolve("target").resolve("qlake-" + module + "-0.1.0-SNAPSHOT-cluster.jar");
        if (!Files.isRegularFile(jar)) {
            throw new UserError(module + " is not built (" + jar + " is missing); run: mvn -B -DskipTests package");
        }
        return jar;
    }

    private List<String> engineJars(String module, Pattern alsoExclude) {
        Path t = home.resolve(module).resolve("target");
        Set<String> jars = new LinkedHashSet<>();
        for (String f : List.of("classpath.txt", "classpath-runtime.txt")) {
            Path file = t.resolve(f);
            if (!Files.isRegularFile(file)) {
                throw new UserError(module + " is not built (" + file + " is missing); run: mvn -B -DskipTests package");
            }
            try {
                Arrays.stream(Files.readString(file).trim().split(":")).filter(s -> !s.isBlank())
                        .filter(s -> !NOT_ENGINE.matcher(s).find())
                        .filter(s -> alsoExclude == null || !alsoExclude.matcher(s).find())
                        .forEach(jars::add);
            } catch (IOException e) {
                throw new UserError("cannot read " + file + ": " + e.getMessage());
            }
        }
        return List.copyOf(jars);
    }
}
