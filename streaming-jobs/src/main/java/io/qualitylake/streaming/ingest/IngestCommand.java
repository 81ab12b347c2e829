package io.qualitylake.streaming.ingest;

import io.qualitylake.cli.KafkaOptions;
import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.schemas.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qlake ingest}: the Flink LakeIngestJob on the local mini-cluster (or under {@code flink run}). */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kafka topics qlake.production.v1 + qlake.field.v1, or JSONL files, into bronze Parquet:",
                "validated, deduplicated by event_id, exactly once; invalid records to bronze/quarantine with a reason.",
                "Prints the accounting (read = written + quarantined + duplicates) and writes it to <lake>/ops/ingest_stats."})
public class IngestCommand implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true,
            description = "Lake root: a local folder or any Hadoop file-system URI (s3a://, abfs://, hdfs://).")
    String lake;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--from-file", paramLabel = "FILE.jsonl", arity = "1..*",
            description = "Ingest these JSONL files instead of Kafka (bounded; same code path after the source).")
    List<String> files;

    @Option(names = "--until-idle", description = "Kafka: stop once everything on the topics at start is ingested and committed.")
    boolean untilIdle;

    @Option(names = "--group-id", defaultValue = "qlake-ingest", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--start-from", defaultValue = "earliest", description = "Where a group without committed offsets starts: earliest or latest (default: ${DEFAULT-VALUE}).")
    String startFrom;

    @Option(names = "--checkpoint-interval", defaultValue = "5s", description = "Checkpoint (and bronze commit) interval (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--parallelism", description = "Flink parallelism (default: half the CPU cores, here ${DEFAULT-VALUE}).")
    int parallelism = IngestOptions.defaultParallelism();

    @Option(names = "--state-backend", defaultValue = "hashmap", description = "hashmap or rocksdb (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--checkpoint-dir", paramLabel = "URI", description = "Checkpoint storage (default: <lake>/_checkpoints/ingest).")
    String checkpointDir;

    @Option(names = "--restore-from", paramLabel = "PATH|latest",
            description = "Restore from this checkpoint/savepoint, or the latest retained checkpoint in --checkpoint-dir.")
    String restoreFrom;

    @Option(names = "--max-out-of-orderness", defaultValue = "1h", description = "Watermark bound; events further behind count as late (default: ${DEFAULT-VALUE}).")
    String maxOutOfOrderness;

    @Option(names = "--dedupe-retention", defaultValue = "7d", description = "How long an event_id is remembered (default: ${DEFAULT-VALUE}).")
    String dedupeRetention;

    @Option(names = "--restart-attempts", defaultValue = "" + IngestOptions.DEFAULT_RESTART_ATTEMPTS,
            description = "Restarts (1 s apart) before the job fails; on a cluster a lost TaskManager can take a few (default: ${DEFAULT-VALUE}).")
    int restartAttempts;

    @Option(names = "--no-quarantine-topic", description = "Do not also send quarantined records to qlake.quarantine.v1.")
    boolean noQuarantineTopic;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        IngestOptions options = options();
        if (options.kafka() != null) {
            KafkaTopics.ensure(options.kafka(), 2, Topic.PRODUCTION, Topic.FIELD, Topic.QUARANTINE);
        }
        String what = options.fileMode() ? options.files().size() + " file(s)"
                : "Kafka " + options.kafka().getProperty("bootstrap.servers") + (untilIdle ? " until idle" : " (Ctrl-C to stop)");
        System.err.println("qlake ingest: " + what + " -> " + options.lake() + "/bronze (checkpoints in " + options.checkpointDir() + ")");
        java.time.Instant started = java.time.Instant.now();
        IngestReport report = new LakeIngestJob(options, Clock.systemUTC()).run();
        if (report == null) {
            return 0; // detached on a cluster (flink run -d): the job runs on; its accounting is not ours to print
        }
        String stats = IngestStats.write(options, report, started, java.time.Instant.now());
        System.out.println("ingest: " + report.summary());
        System.out.printf("ingest: %.1f s, %,.0f records/s; accounting in %s%n", report.runtimeMillis() / 1000.0,
                report.read() / Math.max(report.runtimeMillis() / 1000.0, 1e-3), stats);
        return report.reconciles() ? 0 : 1;
    }

    IngestOptions options() throws java.io.IOException {
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
        if (restartAttempts < 0 || restartAttempts > 1000) {
            throw new UserError("--restart-attempts must be between 0 and 1000");
        }
        if (parallelism < 1 || parallelism > 512) {
            throw new UserError("--parallelism must be between 1 and 512");
        }
        String lakeUri = lakeUri(lake);
        String chk = checkpointDir != null ? lakeUri(checkpointDir) : lakeUri + "/_checkpoints/ingest";
        String restore = restoreFrom;
        if ("latest".equals(restoreFrom)) {
            restore = Checkpoints.latest(chk).orElseThrow(() -> new UserError("no retained checkpoint in " + chk + " to restore"));
        }
        Properties client = fileMode ? null : kafka.clientProperties();
        return new IngestOptions(lakeUri, client, fileMode ? files.stream().map(f -> f.contains("://") ? f
                : Path.of(f).toAbsolutePath().toString()).toList() : null, untilIdle, groupId, startFrom,
                Durations.parse("--checkpoint-interval", checkpointInterval), parallelism, stateBackend, chk, restore,
                Durations.parse("--max-out-of-orderness", maxOutOfOrderness),
                Durations.parse("--dedupe-retention", dedupeRetention), !noQuarantineTopic && !fileMode, restartAttempts);
    }

    /** A local path becomes an absolute file: URI; a URI (s3a://, hdfs://, ...) is kept as it is. */
    public static String lakeUri(String s) {
        if (s.contains("://")) {
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
        return Path.of(s).toAbsolutePath().normalize().toUri().toString().replaceAll("/$", "");
    }
}
