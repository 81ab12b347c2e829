package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Submits LakeIngestJob to the cluster's JobManager the way an operator would: Flink's own CLI
 * ({@code CliFrontend run -d}) with the streaming module's cluster jar, optionally restoring a retained checkpoint.
 */
final class IngestSubmitter {
    /** Submissions tried before giving up: the CLI's own timeouts fire on an overloaded machine. */
    private static final int ATTEMPTS = 5;
    private static final Pattern JOB_ID = Pattern.compile("(?:JobID|as job) ([0-9a-f]{32})");
    private final LocalCluster cluster;
    private final Classpaths cp;

    IngestSubmitter(LocalCluster cluster, Classpaths cp) {
        this.cluster = cluster;
        this.cp = cp;
    }

    /**
     * Submits and returns the job id. {@code restore}: a chk-N folder, or null for a fresh start. A submission that
     * fails before Flink has the job (the CLI's topic check timing out on an overloaded machine) is tried again.
     */
    String submit(String lake, String groupId, String restore, Path log) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return submitOnce(lake, groupId, restore, log);
            } catch (IllegalStateException e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                Files.writeString(log, "qlake fault-test: submission failed (" + e.getMessage() + "); trying again\n",
                        java.nio.file.StandardOpenOption.APPEND);
                System.out.println("  submission failed (" + e.getMessage() + "); trying again");
                Thread.sleep(2_000L * attempt); // a JobManager that has just restarted may need a moment
            }
        }
    }

    private String submitOnce(String lake, String groupId, String restore, Path log) throws IOException, InterruptedException {
        if (!Files.exists(cluster.layout().clientProperties())) {
            cluster.layout().save(); // a cluster started before client.properties existed
        }
        List<String> cmd = new ArrayList<>(List.of(BackgroundProcess.javaBin()));
        cmd.addAll(ClusterFiles.FLINK_OPENS);
        cmd.addAll(List.of("-Xmx384m", "-Dlog4j2.configurationFile=" + cluster.layout().dir().resolve("log4j2.xml").toUri(),
                "-cp", cp.flink(), "org.apache.flink.client.cli.CliFrontend", "run", "-d"));
        if (restore != null) {
            cmd.addAll(List.of("-s", restore));
        }
        cmd.addAll(List.of("-c", "io.qualitylake.streaming.StreamingCli", cp.clusterJar("streaming-jobs").toString(),
                "ingest", "--lake", lake, "--kafka-properties", cluster.layout().clientProperties().toString(), "--group-id", groupId,
                "--checkpoint-interval", "2s", "--parallelism", "2", "--restart-attempts", "20"));
        if (restore != null) {
            cmd.addAll(List.of("--restore-from", restore));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("FLINK_CONF_DIR", cluster.layout().flinkConf().toString());
        long before = Files.exists(log) ? Files.size(log) : 0;
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("flink run did not return within 180 s; see " + log);
        }
        String out = Files.readString(log).substring((int) before);
        Matcher m = JOB_ID.matcher(out);
        if (m.find()) {
            return m.group(1); // Flink has the job, whatever the CLI did afterwards
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("flink run failed (exit " + p.exitValue() + "); see " + log);
        }
        throw new IllegalStateException("flink run printed no job id; see " + log);
    }
}
