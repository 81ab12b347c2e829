package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spark-submit} of the batch module's cluster jar to the local standalone master, as
 * deploy/standalone/check.sh does: SparkSubmit from Spark's own jars (no Delta, no QualityLake classes), client
 * mode, so the driver is this child process and executors run in the workers' JVMs.
 */
final class SparkSubmitter {
    private final LocalCluster cluster;
    private final Classpaths cp;

    SparkSubmitter(LocalCluster cluster, Classpaths cp) {
        this.cluster = cluster;
        this.cp = cp;
    }

    /** Starts {@code spark-submit --class MAIN <cluster jar> ARGS…}, output appended to {@code log}. */
    Process start(String main, List<String> args, Path log) throws IOException {
        String opens = String.join(" ", ClusterFiles.SPARK_OPENS);
        Path home = cluster.layout().dir().resolve("spark-home");
        List<String> cmd = new ArrayList<>(List.of(BackgroundProcess.javaBin()));
        cmd.addAll(ClusterFiles.SPARK_OPENS);
        cmd.addAll(List.of("-Xmx1536m", "-Dlog4j2.configurationFile=" + cluster.layout().dir().resolve("log4j2.xml").toUri(),
                "-cp", home.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit",
                "--master", cluster.layout().sparkMaster(), "--deploy-mode", "client", "--class", main,
                "--driver-java-options", opens, "--conf", "spark.executor.extraJavaOptions=" + opens,
                "--conf", "spark.executor.memory=1g", "--conf", "spark.executor.cores=1",
                "--conf", "spark.sql.shuffle.partitions=4", "--conf", "spark.databricks.delta.snapshotPartitions=1",
                cp.clusterJar("batch-jobs").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        return pb.start();
    }

    /** The executor JVMs the workers run now: children of the workers whose pids the cluster recorded. */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Member m : cluster.members()) {
            if (m.kind().equals("spark-worker")) {
                cluster.running(m).ifPresent(w -> w.descendants().filter(ProcessHandle::isAlive).forEach(out::add));
            }
        }
        return out;
    }
}
