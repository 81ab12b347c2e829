package io.qualitylake.streaming.ingest;

import io.qualitylake.cli.KafkaOptions;
import io.qualitylake.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command-line options {@code qlake ingest} and {@code qlake monitor} share (a picocli mixin): the
 * lake, Kafka or JSONL files, and how the Flink job checkpoints and restores. {@link #check} turns
 * them into checked values, every mistake a one-line {@link UserError} before Flink starts.
 */
public class StreamJobOptions {
    @Option(names = "--lake", paramLabel = "DIR", required = true,
            description = "Lake root: a local folder or any Hadoop file-system URI (s3a://, abfs://, hdfs://).")
    String lake;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--from-file", paramLabel = "FILE.jsonl", arity = "1..*",
            description = "Read these JSONL files instead of Kafka (bounded; same code path after the source).")
    List<String> files;

    @Option(names = "--until-idle", description = "Kafka: stop once everything on the topics at start is processed and committed.")
    boolean untilIdle;

    @Option(names = "--start-from", defaultValue = "earliest", description = "Where a group without committed offsets starts: earliest or latest (default: ${DEFAULT-VALUE}).")
    String startFrom;

    @Option(names = "--checkpoint-interval", defaultValue = "5s", description = "Checkpoint interval: the job's output is committed (visible) at each (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--parallelism", description = "Flink parallelism (default: half the CPU cores, here ${DEFAULT-VALUE}).")
    int parallelism = IngestOptions.defaultParallelism();

    @Option(names = "--state-backend", defaultValue = "hashmap", description = "hashmap or rocksdb (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage (default: <lake>/_checkpoints/<command>).")
    String checkpointDir;

    @Option(names = "--restore-from", paramLabel = "PATH|latest",
            description = "Restore from this checkpoint/savepoint, or the latest retained checkpoint in --checkpoint-dir.")
    String restoreFrom;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    /**
     * The shared options, checked.
     *
     * @param lake          lake root as a URI
     * @param kafka         Kafka client properties, null in file mode
     * @param files         absolute paths (or URIs) of the JSONL files, null in Kafka mode
     * @param checkpointDir checkpoint storage URI
     * @param restoreFrom   checkpoint or savepoint to restore, null for a fresh start
     */
    public record Checked(String lake, Properties kafka, List<String> files, boolean untilIdle, String startFrom,
                          Duration checkpointInterval, int parallelism, String stateBackend, String checkpointDir,
                          String restoreFrom) {
        public boolean fileMode() {
            return files != null;
        }
    }

    /** @param command names the default checkpoint folder, {@code <lake>/_checkpoints/<command>} */
    public Checked check(String command) throws java.io.IOException {
        boolean fileMode = files != null && !files.isEmpty();
        if (fileMode == kafka.isSet()) {
            throw new UserError("give either --bootstrap HOST:PORT (Kafka) or --from-file FILE.jsonl ..., not both or neither");
        }
        if (fileMode) {
            for (String f : files) {
                if (!f.contains("://") && !Files.isReadable(Path.of(f))) {
                    throw new UserError("cannot read --from-file " + f);
                }
            }
        }
        if (!List.of("hashmap", "rocksdb").contains(stateBackend)) {
            throw new UserError("--state-backend must be hashmap or rocksdb, got " + stateBackend);
        }
        if (!List.of("earliest", "latest").contains(startFrom)) {
            throw new UserError("--start-from must be earliest or latest, got " + startFrom);
        }
        if (parallelism < 1 || parallelism > 512) {
            throw new UserError("--parallelism must be between 1 and 512");
        }
        Duration interval = Durations.parse("--checkpoint-interval", checkpointInterval);
        String lakeUri = lakeUri(lake);
        String chk = checkpointDir != null ? lakeUri(checkpointDir) : lakeUri + "/_checkpoints/" + command;
        String restore = restoreFrom;
        if ("latest".equals(restoreFrom)) {
            restore = Checkpoints.latest(chk).orElseThrow(() -> new UserError("no retained checkpoint in " + chk + " to restore"));
        }
        Properties client = fileMode ? null : kafka.clientProperties();
        List<String> paths = fileMode ? files.stream().map(f -> f.contains("://") ? f : Path.of(f).toAbsolutePath().toString()).toList()
                : null;
        return new Checked(lakeUri, client, paths, untilIdle, startFrom, interval, parallelism, stateBackend, chk, restore);
    }

    /** A local path becomes an absolute file: URI; a URI (s3a://, hdfs://, ...) is kept as it is. */
    public static String lakeUri(String s) {
        if (s.contains("://")) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        return Path.of(s).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
    }
}
