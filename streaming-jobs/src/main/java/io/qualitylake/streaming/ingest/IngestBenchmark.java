package io.qualitylake.streaming.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.cli.KafkaOptions;
import io.qualitylake.ingestion.sink.KafkaSink;
import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.UnitInstalled;
import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code qlake ingest-benchmark}: ingest throughput against two references on the same topics in
 * the same run — Kafka's own ConsumerPerformance (raw read rate) and the "parse floor" (one thread
 * that parses every record with Jackson into an event record, timestamps included).
 */
@Command(name = "ingest-benchmark", mixinStandardHelpOptions = true,
        description = "Measure ingest throughput next to Kafka's raw consumer rate and the JSON parse floor.")
public class IngestBenchmark implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Option(names = "--events", defaultValue = "6000000",
            description = "Events to have on the topics (default: ${DEFAULT-VALUE}: ~30 s of ingest, so start-up and JIT warm-up do not dominate).")
    long events;

    @Option(names = "--lake", paramLabel = "DIR", description = "Where the job writes (default: a temporary folder, deleted after).")
    Path lake;

    @Option(names = "--parallelism", description = "Job parallelism (default: half the CPU cores, here ${DEFAULT-VALUE}).")
    int parallelism = IngestOptions.defaultParallelism();

    @Option(names = "--checkpoint-interval", defaultValue = "10s", description = "Job checkpoint interval (default: ${DEFAULT-VALUE}).")
    String checkpointInterval;

    @Option(names = "--state-backend", defaultValue = "hashmap", description = "hashmap or rocksdb (default: ${DEFAULT-VALUE}).")
    String stateBackend;

    @Option(names = "--verbose", description = "Show engine logs.")
    boolean verbose;

    @Option(names = "--runs", defaultValue = "1",
            description = "Measure the parse floor and then the job this many times on the same topics (default: ${DEFAULT-VALUE});"
                    + " each run's ratio compares the two measured back to back, and min/median/max over the runs are printed.")
    int runs;

    @Option(names = "--warmup-runs", defaultValue = "1",
            description = "Unmeasured job runs before the measured ones (default: ${DEFAULT-VALUE}), as a JMH warm-up iteration:"
                    + " the first run of the job in a JVM pays for class loading and JIT compilation of Flink's and the job's code"
                    + " inside its timed span, which a job that runs for days pays once. Their rate is printed, not counted; 0 measures cold.")
    int warmupRuns;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            throw new io.qualitylake.cli.UserError("--runs must be at least 1, got " + runs);
        }
        if (warmupRuns < 0) {
            throw new io.qualitylake.cli.UserError("--warmup-runs must be 0 or more, got " + warmupRuns);
        }
        Properties client = kafka.clientProperties();
        KafkaTopics.ensure(client, 2, Topic.PRODUCTION, Topic.FIELD, Topic.QUARANTINE);
        long onTopics = recordsOnTopics(client);
        if (onTopics < events) {
            fill(client, events - onTopics, onTopics);
            onTopics = recordsOnTopics(client);
        }
        System.out.printf("benchmark: %,d records on %s + %s%n", onTopics, Topic.PRODUCTION.topicName(), Topic.FIELD.topicName());

        double raw = rawConsumerRate(client);
        System.out.printf("  kafka ConsumerPerformance (raw read):   %,12.0f records/s%n", raw);
        for (int w = 1; w <= warmupRuns; w++) {
            IngestReport r = runJob(client, -w);
            System.out.printf("  warm-up run %d/%d (not counted): LakeIngestJob %,.0f records/s sustained, %s%n", w, warmupRuns,
                    r.read() / (Math.max(r.processingMillis(), 1) / 1000.0), r.summary());
        }
        List<Double> sustainedRatios = new ArrayList<>();
        List<Double> endToEndRatios = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            if (runs > 1) {
                System.out.printf("run %d/%d (load average %.1f):%n", run, runs, loadAverage());
            }
            double floor = parseFloor(client, onTopics);
            System.out.printf("  parse floor (1 thread, Jackson+record): %,12.0f records/s%n", floor);
            IngestReport r = runJob(client, run);
            double sustained = r.read() / (Math.max(r.processingMillis(), 1) / 1000.0);
            double endToEnd = r.read() / (r.runtimeMillis() / 1000.0);
            System.out.printf("  LakeIngestJob (exactly once, p=%d):     %,12.0f records/s sustained (first record parsed to last written, %.1f s)%n",
                    parallelism, sustained, r.processingMillis() / 1000.0);
            System.out.printf("                                          %,12.0f records/s end to end (job start to final commit, %.1f s)%n",
                    endToEnd, r.runtimeMillis() / 1000.0);
            System.out.printf("  accounting: %s%n", r.summary());
            if (r.duplicates() > r.read() / 20) {
                System.out.printf("  note: %.0f %% of the records were duplicates, which the job drops without writing: "
                        + "the rate is not that of unique events (use fresh topics)%n", 100.0 * r.duplicates() / r.read());
            }
            System.out.printf("  ratios: job/parse-floor %.2f (end to end %.2f), job/raw %.2f, parse-floor/raw %.2f%n",
                    sustained / floor, endToEnd / floor, sustained / raw, floor / raw);
            sustainedRatios.add(sustained / floor);
            endToEndRatios.add(endToEnd / floor);
        }
        if (runs > 1) {
            System.out.printf("ratio job/parse-floor over %d runs: %s%n", runs, RatioSummary.of(sustainedRatios));
            System.out.printf("ratio end-to-end/parse-floor over %d runs: %s%n", runs, RatioSummary.of(endToEndRatios));
        }
        return 0;
    }

    /** One run of the job over everything on the topics, with its own consumer group, lake and state. */
    private IngestReport runJob(Properties client, int run) throws Exception {
        Path dir = lake != null ? (runs > 1 || run < 0 ? lake.resolve(run < 0 ? "warmup" + (-run) : "run-" + run) : lake) : Files.createTempDirectory("qlake-bench-");
        String lakeUri = StreamJobOptions.lakeUri(dir.toString());
        IngestOptions o = new IngestOptions(lakeUri, client, null, true, "qlake-bench-" + System.currentTimeMillis(), "earliest",
                Durations.parse("--checkpoint-interval", checkpointInterval), parallelism, stateBackend,
                lakeUri + "/_checkpoints/bench", null, Duration.ofHours(1), DeduplicateFunction.DEFAULT_RETENTION, false);
        IngestReport r = new LakeIngestJob(o, Clock.systemUTC()).run();
        if (lake == null) {
            deleteRecursively(dir);
        }
        return r;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long recordsOnTopics(Properties client) throws Exception {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetSpec> req = new java.util.HashMap<>();
            for (Topic t : Topic.eventTopics()) {
                admin.describeTopics(List.of(t.topicName())).allTopicNames().get().get(t.topicName()).partitions()
                        .forEach(p -> req.put(new TopicPartition(t.topicName(), p.partition()), OffsetSpec.latest()));
            }
            long total = 0;
            for (var e : admin.listOffsets(req).all().get().values()) {
                total += e.offset();
            }
            return total;
        }
    }

    /**
     * A live-like stream: two days of a busy 8-plant world (16 lines), so the data lands in the few
     * partitions a live stream touches. (A replay of years of history writes one file per
     * event_date × plant partition and is bound by file creation and fsync instead; see the README.)
     * The simulator's event ids follow from dates and serial numbers, so a top-up of topics that
     * already hold records simulates two other days: the same days again would be all duplicates,
     * which the job drops cheaply, and the benchmark would flatter it.
     */
    private static void fill(Properties client, long n, long alreadyOnTopics) {
        int days = 2;
        int unitsPerDay = (int) Math.max(10, n / (16L * days * 104 / 100));
        long back = alreadyOnTopics == 0 ? 0 : days * (1 + alreadyOnTopics % 3000);
        java.time.LocalDate start = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(days + back);
        SimulationConfig c = new SimulationConfig(99, 8, days, start, unitsPerDay, 8, 0.005, 0.002, 0.01, 0.001);
        System.out.printf("benchmark: filling the topics with ~%,d simulated records (%d days, %,d units per line and day) ...%n",
                n, days, unitsPerDay);
        try (KafkaSink sink = new KafkaSink(client)) {
            new Simulator(c).run(sink, d -> {});
        }
    }

    private static double rawConsumerRate(Properties client) throws Exception {
        long messages = 0;
        double seconds = 0;
        for (Topic t : Topic.eventTopics()) {
            long n = countTopic(client, t);
            if (n == 0) {
                continue;
            }
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ConsumerPerformance",
                    "--bootstrap-server", client.getProperty("bootstrap.servers"), "--topic", t.topicName(),
                    "--messages", Long.toString(n), "--timeout", "60000"));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String last = null;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.matches("^\\d{4}-.*")) {
                        last = line;
                    }
                }
            }
            p.waitFor();
            if (last == null) {
                throw new IllegalStateException("ConsumerPerformance printed no result");
            }
            // start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
            String[] f = last.split(",\\s*");
            long got = Long.parseLong(f[4].trim());
            double rate = Double.parseDouble(f[5].trim());
            messages += got;
            seconds += got / rate;
        }
        return messages / seconds;
    }

    private static long countTopic(Properties client, Topic t) throws Exception {
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetSpec> req = new java.util.HashMap<>();
            admin.describeTopics(List.of(t.topicName())).allTopicNames().get().get(t.topicName()).partitions()
                    .forEach(p -> req.put(new TopicPartition(t.topicName(), p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(req).all().get().values().stream().mapToLong(v -> v.offset()).sum();
        }
    }

    /** One thread: poll, and parse every value with Jackson into an event record (timestamps included). */
    static double parseFloor(Properties client, long expected) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, "qlake-parse-floor-" + System.nanoTime());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.setProperty(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1048576");
        ObjectMapper json = new ObjectMapper();
        long n = 0;
        long sink = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topic.PRODUCTION.topicName(), Topic.FIELD.topicName()));
            long idleSince = System.nanoTime();
            while (n < expected && System.nanoTime() - idleSince < 10_000_000_000L) {
                var batch = c.poll(Duration.ofMillis(200));
                if (!batch.isEmpty()) {
                    idleSince = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    n++;
                    try {
                        sink += parse(json, r.value()).eventTime().getNano();
                    } catch (Exception malformed) {
                        sink--;
                    }
                }
            }
        }
        double secs = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            System.out.print(""); // keeps the JIT from removing the parse
        }
        return n / secs;
    }

    /** The floor's "event record": the fields of the envelope plus one typed record, no validation. */
    private static UnitInstalled parse(ObjectMapper json, byte[] value) throws java.io.IOException {
        JsonNode n = json.readTree(value);
        return new UnitInstalled(n.path("schema").asText(), n.path("event_id").asText(),
                Instant.parse(n.path("event_time").asText()), n.path("plant_id").asText(), n.path("serial_no").asText(null),
                n.path("product_model").asText(null), n.path("region").asText(null));
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
