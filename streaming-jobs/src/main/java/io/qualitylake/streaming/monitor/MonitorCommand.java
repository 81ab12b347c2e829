package io.qualitylake.streaming.monitor;

import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.ingest.Durations;
import io.qualitylake.streaming.ingest.StreamJobOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qlake monitor}: the Flink SpcMonitorJob on the local mini-cluster (or under {@code flink run}). */
@Command(name = "monitor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Live SPC on qlake.production.v1 (or JSONL files): MEASUREMENT events in subgroups, Nelson rules 1-6",
                "(+ EWMA and CUSUM per --rules), limits from qlake.control-limits.v1 or self-started from the first subgroups.",
                "Alerts go to <lake>/bronze/alerts (bronze.alerts) and topic qlake.alerts.v1, both exactly once."})
public class MonitorCommand implements Callable<Integer> {
    @Mixin
    StreamJobOptions job = new StreamJobOptions();

    @Option(names = "--rules", paramLabel = "FILE", description = "EWMA (lambda, L) and CUSUM (k, h) per characteristic or by default (JSON; see README). Without it: Nelson rules 1-6 only.")
    Path rules;

    @Option(names = "--limits", paramLabel = "FILE.jsonl", description = "gold.control_limits rows as JSON lines, used before (and beside) the limits topic.")
    Path limitsFile;

    @Option(names = "--group-id", defaultValue = "qlake-monitor", description = "Kafka consumer group; also names the alert transactions (default: ${DEFAULT-VALUE}).")
    String groupId;

    @Option(names = "--max-out-of-orderness", defaultValue = "1m", description = "Watermark bound: a subgroup is judged once the watermark passes it, so alerts wait about this long; later measurements are skipped as late (default: ${DEFAULT-VALUE}).")
    String maxOutOfOrderness;

    @Option(names = "--grace", defaultValue = "10s", description = "A subgroup short of its size closes when the watermark passes its last measurement + this (default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--idle-expiry", defaultValue = "7d", description = "Forget a characteristic after this much event time without measurements (default: ${DEFAULT-VALUE}).")
    String idleExpiry;

    @Option(names = "--baseline-subgroups", defaultValue = "25", description = "Subgroups that self-start limits when none are published (default: ${DEFAULT-VALUE}, as the batch job).")
    int baselineSubgroups;

    @Option(names = "--no-alerts-topic", description = "Do not also send alerts to qlake.alerts.v1.")
    boolean noAlertsTopic;

    @Override
    public Integer call() throws Exception {
        MonitorOptions o = options();
        String what = o.fileMode() ? o.files().size() + " file(s)"
                : "Kafka " + o.kafka().getProperty("bootstrap.servers") + (o.untilIdle() ? " until idle" : " (Ctrl-C to stop)");
        System.err.println("qlake monitor: " + what + " -> " + o.lake() + "/bronze/alerts" + (o.alertsToKafka()
                ? " + " + Topic.ALERTS.topicName() : "") + "; " + o.initialLimits().size() + " characteristic(s) with published limits");
        MonitorReport report = new SpcMonitorJob(o, Clock.systemUTC(), MonitorSources.of(o)).run();
        System.out.println("monitor: " + report.summary());
        System.out.printf("monitor: %.1f s, %,.0f measurements/s%n", report.runtimeMillis() / 1000.0,
                report.measurements() / Math.max(report.runtimeMillis() / 1000.0, 1e-3));
        return 0;
    }

    /** Every option checked (one-line errors) before Flink starts. */
    MonitorOptions options() throws java.io.IOException {
        StreamJobOptions.Checked c = job.check("monitor");
        if (baselineSubgroups < 2 || baselineSubgroups > 10_000) {
            throw new UserError("--baseline-subgroups must be between 2 and 10000, got " + baselineSubgroups);
        }
        Duration graceD = Durations.parse("--grace", grace);
        Duration idle = Durations.parse("--idle-expiry", idleExpiry);
        if (idle.compareTo(graceD) <= 0) {
            throw new UserError("--idle-expiry must be longer than --grace");
        }
        MonitorRules r = rules == null ? MonitorRules.NELSON_ONLY : MonitorRules.read(rules);
        Map<String, PublishedLimits> limits = new HashMap<>();
        if (limitsFile != null) {
            limits.putAll(LimitsTopic.readFile(limitsFile));
        }
        Properties client = c.kafka();
        if (client != null) {
            KafkaTopics.ensure(client, 2, Topic.PRODUCTION, Topic.ALERTS);
            LimitsTopic.ensureCompacted(client, 1);
            LimitsTopic.Read read = LimitsTopic.read(client);
            limits.putAll(read.limits());
            if (read.invalid() > 0) {
                System.err.println("qlake monitor: skipped " + read.invalid() + " invalid message(s) on "
                        + Topic.CONTROL_LIMITS.topicName() + " (see the log)");
            }
        }
        return new MonitorOptions(c.lake(), client, c.files(), c.untilIdle(), groupId, c.startFrom(),
                client != null && !noAlertsTopic, "qlake-monitor-" + groupId, c.checkpointInterval(), c.parallelism(),
                c.stateBackend(), c.checkpointDir(), c.restoreFrom(), Durations.parse("--max-out-of-orderness", maxOutOfOrderness),
                graceD, idle, baselineSubgroups, r, limits, MonitorOptions.STANDARD);
    }
}
