package io.qualitylake.streaming.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.KafkaOptions;
import io.qualitylake.streaming.ingest.DeduplicateFunction;
import io.qualitylake.streaming.ingest.IngestOptions;
import io.qualitylake.streaming.ingest.IngestReport;
import io.qualitylake.streaming.ingest.LakeIngestJob;
import io.qualitylake.streaming.ingest.StreamJobOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qlake monitor-benchmark}: (1) the sustained rate of SpcMonitorJob with exactly-once sinks over
 * a topic pre-filled with measurements; (2) the event → alert latency at half that rate, from the
 * broker append time of the measurement that completed a subgroup to the broker append time of its
 * alert (and to the moment the alert is visible to a read_committed consumer, which adds the wait for
 * the checkpoint that commits it). Uses its own fresh topics (append-time stamped), never the product's.
 *
 * <p>The job judges a subgroup once the watermark has passed it (chart order, for batch parity), so
 * the latency is about the out-of-orderness bound plus the watermark interval; the target is p99 ≤
 * bound + 1 s. Between the two runs the ingest job reads the same measurements, the reference of the
 * sustained-rate target (monitor ≥ 0.5 × ingest, same run). The latency counts only subgroups completed after each partition's start-up hold of
 * the watermark ({@link EventTimes#HOLD_MILLIS}) + 2 s: the figures are those of a running job.
 */
@Command(name = "monitor-benchmark", mixinStandardHelpOptions = true,
        description = "Measure SpcMonitorJob throughput (exactly once) next to the ingest job on the same measurements, and event-to-alert latency at half that rate.")
public class MonitorBenchmark implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--measurements", defaultValue = "2000000", description = "Measurements for the throughput run (default: ${DEFAULT-VALUE}).")
    long measurements;

    @Option(names = "--characteristics", defaultValue = "500", description = "Characteristics (subgroups of 5) (default: ${DEFAULT-VALUE}).")
    int characteristics;

    @Option(names = "--latency-seconds", defaultValue = "30", description = "How long the latency run produces (default: ${DEFAULT-VALUE}).")
    int latencySeconds;

    @Option(names = "--checkpoint-interval", defaultValue = "1s", description = "Job checkpoint interval: alerts commit at each (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--max-out-of-orderness", defaultValue = "1s", description = "Watermark bound of the latency run (default: ${DEFAULT-VALUE}).")
    String maxOutOfOrderness;

    @Option(names = "--parallelism", description = "Job parallelism (default: half the CPU cores, here ${DEFAULT-VALUE}).")
    int parallelism = IngestOptions.defaultParallelism();

    @Option(names = "--verbose", description = "Show engine logs.")
    boolean verbose;

    static final int K = 5;
    static final int SHIFT_AFTER = 60; // subgroups; characteristic 0 then runs 3σ high and alerts on every subgroup
    /** Latency run: subgroups completed this soon after the producer starts are not timed (the watermark's start-up hold + 2 s). */
    static final long WARM_UP_MILLIS = EventTimes.HOLD_MILLIS + 2_000;

    @Override
    public Integer call() throws Exception {
        Properties client = kafka.clientProperties();
        Duration chk = io.qualitylake.streaming.ingest.Durations.parse("--checkpoint-interval", checkpointInterval);
        Duration ooo = io.qualitylake.streaming.ingest.Durations.parse("--max-out-of-orderness", maxOutOfOrderness);
        String run = Long.toString(System.currentTimeMillis());
        Path dir = Files.createTempDirectory("qlake-monitor-bench-");
        try {
            MonitorOptions.Topics t1 = topics(client, run + "-a");
            long t0 = System.nanoTime();
            produce(client, t1.production(), measurements, Long.MAX_VALUE, System.currentTimeMillis() - 86_400_000L, null);
            System.out.printf("benchmark: %,d measurements of %,d characteristics on %s in %.1f s%n", measurements,
                    characteristics, t1.production(), (System.nanoTime() - t0) / 1e9);
            MonitorOptions o1 = options(client, dir, t1, true, chk, Duration.ofMinutes(1), "a");
            MonitorReport r = new SpcMonitorJob(o1, Clock.systemUTC(), MonitorSources.kafka(o1)).run();
            double sustained = r.measurements() / (Math.max(r.processingMillis(), 1) / 1000.0);
            System.out.printf("  SpcMonitorJob (exactly once, p=%d, %s checkpoints): %,.0f measurements/s sustained (first read to last"
                    + " parsed, %.1f s); %,.0f/s end to end (job start to final commit, %.1f s)%n", parallelism, checkpointInterval,
                    sustained, r.processingMillis() / 1000.0, r.measurements() / (r.runtimeMillis() / 1000.0), r.runtimeMillis() / 1000.0);
            System.out.printf("  %s%n", r.summary());
            double ingest = ingestRate(client, dir, t1.production());
            System.out.printf("  monitor/ingest %.2f (target >= 0.5)%n", sustained / ingest);

            double rate = sustained / 2;
            MonitorOptions.Topics t2 = topics(client, run + "-b");
            MonitorOptions o2 = options(client, dir, t2, false, chk, ooo, "b");
            JobClient job = new SpcMonitorJob(o2, Clock.systemUTC(), MonitorSources.kafka(o2)).start();
            Map<String, Long> completedAt = new ConcurrentHashMap<>();
            List<long[]> latencies = new ArrayList<>();
            Thread producer = new Thread(() -> produce(client, t2.production(), (long) (rate * latencySeconds), rate, 0, completedAt));
            System.out.printf("  latency run: subgroups completed in the first %.0f s (the watermark's start-up hold) are not timed%n",
                    WARM_UP_MILLIS / 1000.0);
            try {
                producer.start();
                collect(client, t2.alerts(), completedAt, latencies, producer, chk.toMillis() * 3 + 5_000);
            } finally {
                producer.join();
                job.cancel().get(60, TimeUnit.SECONDS);
            }
            print(latencies, rate, ooo);
        } finally {
            try (var s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    /**
     * The reference of the same run: LakeIngestJob (exactly once, the same parallelism, its default 10 s
     * checkpoints) reading the same measurements into a lake of its own.
     */
    private double ingestRate(Properties client, Path dir, String topic) throws Exception {
        String lake = StreamJobOptions.lakeUri(dir.resolve("lake-ingest").toString());
        IngestOptions o = new IngestOptions(lake, client, null, true, "qlake-monitor-bench-ingest-" + System.nanoTime(), "earliest",
                Duration.ofSeconds(10), parallelism, "hashmap", lake + "/_checkpoints", null, Duration.ofHours(1),
                DeduplicateFunction.DEFAULT_RETENTION, false).withSourceTopics(List.of(topic));
        IngestReport r = new LakeIngestJob(o, Clock.systemUTC()).run();
        if (r.read() != measurements || !r.reconciles()) {
            throw new IllegalStateException("the ingest reference read " + r.read() + " of " + measurements + ": " + r.summary());
        }
        double sustained = r.read() / (Math.max(r.processingMillis(), 1) / 1000.0);
        System.out.printf("  LakeIngestJob on the same measurements (exactly once, p=%d, 10s checkpoints): %,.0f records/s sustained"
                + " (%.1f s); %s%n", parallelism, sustained, r.processingMillis() / 1000.0, r.summary());
        return sustained;
    }

    private MonitorOptions options(Properties client, Path dir, MonitorOptions.Topics topics, boolean untilIdle, Duration chk,
                                   Duration ooo, String tag) {
        String lake = StreamJobOptions.lakeUri(dir.resolve("lake-" + tag).toString());
        return new MonitorOptions(lake, client, null, untilIdle, "qlake-monitor-bench-" + System.nanoTime(), "earliest", true,
                "qlake-monitor-bench-" + System.nanoTime(), chk, parallelism, "hashmap", lake + "/_checkpoints", null, ooo,
                Duration.ofSeconds(1), Duration.ofDays(1), 25, MonitorRules.NELSON_ONLY, Map.of(), topics);
    }

    /** Fresh measurement, limits and alert topics; broker append time stamps every record. */
    private static MonitorOptions.Topics topics(Properties client, String suffix) throws Exception {
        MonitorOptions.Topics t = new MonitorOptions.Topics("qlake-bench-measurements-" + suffix, "qlake-bench-limits-" + suffix,
                "qlake-bench-alerts-" + suffix);
        Map<String, String> appendTime = Map.of("message.timestamp.type", "LogAppendTime");
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(t.production(), 2, (short) 1).configs(appendTime),
                    new NewTopic(t.limits(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(t.alerts(), 2, (short) 1).configs(appendTime))).all().get(30, TimeUnit.SECONDS);
        }
        return t;
    }

    /**
     * Subgroups of 5 measurements, characteristic after characteristic, keyed by characteristic. At
     * {@code perSecond} (paced every 10 ms) with event time = now, or as fast as possible with event
     * time from {@code baseMillis}. With {@code completedAt}, records the append time of each
     * subgroup's last measurement.
     */
    private void produce(Properties client, String topic, long n, double perSecond, long baseMillis, Map<String, Long> completedAt) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.LINGER_MS_CONFIG, completedAt == null ? "20" : "1");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        SplittableRandom random = new SplittableRandom(7);
        long start = System.nanoTime();
        boolean live = baseMillis == 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (long i = 0; i < n; i++) {
                long subgroupRound = i / ((long) K * characteristics);
                int c = (int) (i / K % characteristics);
                int m = (int) (i % K);
                if (perSecond != Long.MAX_VALUE && i % Math.max(1, (long) (perSecond / 100)) == 0) {
                    long due = start + (long) (i / perSecond * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                long time = live ? System.currentTimeMillis() : baseMillis + subgroupRound * 1000 + m;
                double value = 10 + random.nextGaussian() + (c == 0 && subgroupRound >= SHIFT_AFTER ? 3 : 0);
                String ch = "BC" + c;
                String subgroup = ch + "-" + subgroupRound;
                String json = "{\"schema\":\"qlake.production/1\",\"event_id\":\"bm-" + topic.hashCode() + "-" + i
                        + "\",\"event_type\":\"MEASUREMENT\",\"event_time\":\"" + Instant.ofEpochMilli(time)
                        + "\",\"plant_id\":\"BP1\",\"line_id\":\"BL1\",\"station_id\":\"BS1\",\"characteristic_id\":\"" + ch
                        + "\",\"subgroup_id\":\"" + subgroup + "\",\"value\":" + Math.round(value * 1e4) / 1e4
                        + ",\"lsl\":null,\"usl\":null,\"target\":10,\"collection\":\"AUTO\"}";
                if (completedAt != null && m == K - 1 && System.nanoTime() - start >= WARM_UP_MILLIS * 1_000_000) {
                    producer.send(new ProducerRecord<>(topic, ch, json), (meta, e) -> {
                        if (e == null) {
                            completedAt.put("BP1|BL1|" + ch + "|" + subgroup, meta.timestamp());
                        }
                    });
                } else {
                    producer.send(new ProducerRecord<>(topic, ch, json));
                }
            }
            producer.flush();
        }
    }

    /** Reads alerts (read_committed) while the producer runs and {@code drainMillis} after it ends. */
    private static void collect(Properties client, String topic, Map<String, Long> completedAt, List<long[]> out,
                                Thread producer, long drainMillis) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "qlake-monitor-bench-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ObjectMapper json = new ObjectMapper();
        long stopAt = Long.MAX_VALUE;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            while (System.currentTimeMillis() < stopAt) {
                if (!producer.isAlive() && stopAt == Long.MAX_VALUE) {
                    stopAt = System.currentTimeMillis() + drainMillis;
                }
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                    long seen = System.currentTimeMillis();
                    try {
                        JsonNode a = json.readTree(new String(r.value(), StandardCharsets.UTF_8));
                        Long done = completedAt.get(a.get("plant_id").asText() + "|" + a.get("line_id").asText() + "|"
                                + a.get("characteristic_id").asText() + "|" + a.get("subgroup_id").asText());
                        if (done != null) {
                            out.add(new long[] {r.timestamp() - done, seen - done});
                        }
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("unreadable alert on " + topic, e);
                    }
                }
            }
        }
    }

    private static void print(List<long[]> latencies, double rate, Duration ooo) {
        if (latencies.isEmpty()) {
            System.out.println("  latency: no alert arrived (is the broker slow, or the run too short?)");
            return;
        }
        long[] append = latencies.stream().mapToLong(l -> l[0]).sorted().toArray();
        long[] visible = latencies.stream().mapToLong(l -> l[1]).sorted().toArray();
        System.out.printf("  latency at %,.0f measurements/s (half the sustained rate), %,d alerts, out-of-orderness bound %d ms"
                + " (a subgroup is judged once the watermark passes it; target p99 <= bound + 1 s = %,d ms):%n",
                rate, append.length, ooo.toMillis(), ooo.toMillis() + 1000);
        System.out.printf("    measurement append -> alert append:            p50 %,d ms, p99 %,d ms, max %,d ms%n",
                pct(append, 0.5), pct(append, 0.99), append[append.length - 1]);
        System.out.printf("    measurement append -> alert visible (committed): p50 %,d ms, p99 %,d ms, max %,d ms%n",
                pct(visible, 0.5), pct(visible, 0.99), visible[visible.length - 1]);
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
