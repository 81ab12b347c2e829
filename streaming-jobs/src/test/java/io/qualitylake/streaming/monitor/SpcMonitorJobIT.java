package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.FailOnceAfterCheckpoint;
import io.qualitylake.streaming.ingest.BronzeFiles;
import io.qualitylake.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The whole SpcMonitorJob on Flink's MiniCluster: JSONL in, bronze/alerts Parquet and a real Kafka broker out. */
@Timeout(300)
class SpcMonitorJobIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    @TempDir
    Path tmp;

    static MonitorOptions options(Path lake, Properties kafka, List<String> files, Path checkpoints) {
        return options(lake, kafka, files, checkpoints, Duration.ofMinutes(1), Map.of());
    }

    static MonitorOptions options(Path lake, Properties kafka, List<String> files, Path checkpoints, Duration maxOutOfOrderness,
                                  Map<String, PublishedLimits> limits) {
        return new MonitorOptions(lake.toUri().toString().replaceAll("/$", ""), kafka, files, true, "monitor-test",
                "earliest", kafka != null, "qlake-monitor-test-" + System.nanoTime(), Duration.ofMillis(300), 2,
                "hashmap", checkpoints.toUri().toString(), null, maxOutOfOrderness, Duration.ofSeconds(10),
                Duration.ofDays(7), 25, MonitorRules.NELSON_ONLY, limits, MonitorOptions.STANDARD);
    }

    private static Set<String> hits(List<GenericRecord> alerts) {
        Set<String> out = new TreeSet<>();
        for (GenericRecord r : alerts) {
            out.add(r.get("plant_id") + "|" + r.get("line_id") + "|" + r.get("characteristic_id") + "|" + r.get("subgroup_id")
                    + "|" + r.get("rule"));
        }
        return out;
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    /**
     * Planted world (2 plants, 10 days, 96 subgroups of 5 a day per characteristic — one every 15 min, values
     * 30 s apart — 1 % duplicates, 1 % malformed records and 5 % of records delayed by 1–30 min, so many
     * subgroups complete after later ones; one characteristic drifts by 1.5σ from day 5), monitored with a
     * 31 min out-of-orderness bound (the simulator's delays stay within it): the job's Nelson hits equal,
     * subgroup for subgroup and rule for rule, what the batch capability function finds on the same
     * measurements, so the drift is alerted at the same subgroup the batch job flags first. The lines
     * …-L1 start with the batch function's limits as published (subgroups close by size the moment they
     * are complete, so they complete out of chart order); the other lines self-start from their first 25
     * subgroups as the batch function does.
     */
    @Test
    void plantedWorldAlertsEqualTheBatchViolationsAndCatchTheDrift() throws Exception {
        MonitorWorld world = new MonitorWorld(new SimulationConfig(42, 2, 10, LocalDate.of(2026, 1, 1), 10, 96,
                0.01, 0.01, 0.05, 0));
        assertTrue(world.subgroupsCompletingOutOfOrder > 20,
                "the input is out of order across subgroups: " + world.subgroupsCompletingOutOfOrder);
        Path file = world.write(tmp.resolve("world.jsonl"));
        Path lake = tmp.resolve("lake");
        Map<String, PublishedLimits> published = new java.util.HashMap<>();
        world.batchLimits.forEach((key, l) -> {
            if (l.lineId.endsWith("-L1")) {
                published.put(key, l);
            }
        });
        assertTrue(!published.isEmpty() && published.size() < world.batchLimits.size());
        MonitorOptions o = options(lake, null, List.of(file.toString()), tmp.resolve("chk"), Duration.ofMinutes(31), published);
        MonitorReport report = new SpcMonitorJob(o, Clock.systemUTC(), MonitorSources.of(o)).run();
        List<GenericRecord> alerts = BronzeFiles.read(lake.resolve("bronze/alerts"));
        assertEquals(world.batchHits, hits(alerts), () -> "only in batch: " + minus(world.batchHits, hits(alerts))
                + "; only in the stream: " + minus(hits(alerts), world.batchHits) + "; " + report.summary());
        assertEquals(alerts.size(), report.alerts());
        assertTrue(report.duplicates() > 0, "the injected duplicates were met and counted once: " + report.summary());

        String drift = world.driftCharacteristic();
        long start = LocalDate.parse(((Map<?, ?>) world.truth.asMap().get("drift")).get("start_date").toString())
                .atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() * 1000;
        long driftAlerts = alerts.stream().filter(r -> r.get("characteristic_id").toString().equals(drift)
                && (Long) r.get("subgroup_time") >= start).count();
        assertTrue(driftAlerts >= 10, "the 1.5σ drift is alerted (" + driftAlerts + " alerts after its start)");
        for (GenericRecord r : alerts) {
            String key = r.get("plant_id") + "|" + r.get("line_id") + "|" + r.get("characteristic_id");
            assertEquals(published.containsKey(key) ? Alert.BATCH : Alert.SELF_STARTED, r.get("limits_source").toString(), key);
        }
    }

    /**
     * An injected failure after a completed checkpoint, then Flink's restart from it: bronze/alerts and
     * the read_committed view of qlake.alerts.v1 each hold every expected alert id exactly once (the
     * expected ids come from the batch function over the same measurements).
     */
    @Test
    void aFailureAndRestartFromTheCheckpointLosesAndDuplicatesNoAlert() throws Exception {
        MonitorWorld world = new MonitorWorld(SimulationConfig.defaults().withSeed(5).withScale(4, 10, 10)
                .withFaults(0.01, 0.01, 0, 0));
        assertTrue(world.batchAlertIds.size() > 50, "enough alerts to straddle a checkpoint: " + world.batchAlertIds.size());
        Path file = world.write(tmp.resolve("world.jsonl"));
        Path lake = tmp.resolve("lake");
        KafkaTopics.ensure(KAFKA.clientProperties(), 2, Topic.ALERTS);
        MonitorOptions o = options(lake, KAFKA.clientProperties(), List.of(file.toString()), tmp.resolve("chk"));
        new SpcMonitorJob(o, Clock.systemUTC(), MonitorSources.files(o.files(), o.maxOutOfOrderness()), FailOnceAfterCheckpoint.reset()).run();
        assertTrue(FailOnceAfterCheckpoint.injected(), "the failure was injected (input outlived a checkpoint)");

        List<String> bronze = BronzeFiles.read(lake.resolve("bronze/alerts")).stream().map(r -> r.get("alert_id").toString()).toList();
        assertEquals(bronze.size(), new HashSet<>(bronze).size(), "no duplicate alert in bronze/alerts");
        assertEquals(world.batchAlertIds, new HashSet<>(bronze), "no alert lost in bronze/alerts");

        ObjectMapper json = new ObjectMapper();
        List<ConsumerRecord<String, byte[]>> messages = KAFKA.readAll(Topic.ALERTS.topicName(), Integer.MAX_VALUE,
                Duration.ofSeconds(30));
        List<String> onTopic = new java.util.ArrayList<>();
        for (ConsumerRecord<String, byte[]> m : messages) {
            onTopic.add(json.readTree(m.value()).get("alert_id").asText());
            assertFalse(m.key().isEmpty());
        }
        assertEquals(onTopic.size(), new HashSet<>(onTopic).size(), "no duplicate committed alert on the topic");
        assertEquals(world.batchAlertIds, new HashSet<>(onTopic), "no alert lost on the topic");
    }
}
