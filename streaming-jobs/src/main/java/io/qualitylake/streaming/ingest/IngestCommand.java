package io.qualitylake.streaming.ingest;

import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.cli.UserError;
import io.qualitylake.schemas.Topic;
import java.time.Clock;
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
    @Mixin
    StreamJobOptions job = new StreamJobOptions();

    @Option(names = "--group-id", defaultValue = "qlake-ingest", description = "Kafka consumer group (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--max-out-of-orderness", defaultValue = "1h", description = "Watermark bound; events further behind count as late (default: ${DEFAULT-VALUE}).")
    String maxOutOfOrderness;

    @Option(names = "--dedupe-retention", defaultValue = "7d", description = "How long an event_id is remembered (default: ${DEFAULT-VALUE}).")
    String dedupeRetention;

    @Option(names = "--restart-attempts", defaultValue = "" + IngestOptions.DEFAULT_RESTART_ATTEMPTS,
            description = "Restarts (1 s apart) before the job fails; on a cluster a lost TaskManager can take a few (default: ${DEFAULT-VALUE}).")
    int restartAttempts;

    @Option(names = "--no-quarantine-topic", description = "Do not also send quarantined records to qlake.quarantine.v1.")
    boolean noQuarantineTopic;

    @Override
    public Integer call() throws Exception {
        IngestOptions options = options();
        if (options.kafka() != null) {
            KafkaTopics.ensure(options.kafka(), 2, Topic.PRODUCTION, Topic.FIELD, Topic.QUARANTINE);
        }
        String what = options.fileMode() ? options.files().size() + " file(s)"
                : "Kafka " + options.kafka().getProperty("bootstrap.servers") + (options.untilIdle() ? " until idle" : " (Ctrl-C to stop)");
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
        if (restartAttempts < 0 || restartAttempts > 1000) {
            throw new UserError("--restart-attempts must be between 0 and 1000");
        }
        StreamJobOptions.Checked c = job.check("ingest");
        return new IngestOptions(c.lake(), c.kafka(), c.files(), c.untilIdle(), groupId, c.startFrom(), c.checkpointInterval(),
                c.parallelism(), c.stateBackend(), c.checkpointDir(), c.restoreFrom(),
                Durations.parse("--max-out-of-orderness", maxOutOfOrderness),
                Durations.parse("--dedupe-retention", dedupeRetention), !noQuarantineTopic && !c.fileMode(), restartAttempts);
    }
}
