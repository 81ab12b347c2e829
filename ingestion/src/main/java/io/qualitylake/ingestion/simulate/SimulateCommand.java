package io.qualitylake.ingestion.simulate;

import io.qualitylake.ingestion.sink.EventSink;
import io.qualitylake.ingestion.sink.JsonlSink;
import io.qualitylake.cli.KafkaOptions;
import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.sink.KafkaSink;
import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.schemas.Topic;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code qlake simulate}: a planted-truth industrial world, to Kafka or to a JSONL file. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a deterministic multi-enterprise world of production and field events with",
                "planted truth (truth.json) and reference files, to Kafka or to a JSONL file."})
public class SimulateCommand implements Callable<Integer> {

    @Mixin
    KafkaOptions kafkaOptions = new KafkaOptions();

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "Write events to this JSONL file instead of Kafka.")
    Path out;

    @Option(names = "--reference-out", paramLabel = "DIR", required = true,
            description = "Folder for <dimension>.jsonl reference files and truth.json.")
    Path referenceOut;

    @Option(names = "--plants", defaultValue = "8", description = "Plants, 2 lines each (default: ${DEFAULT-VALUE}).")
    int plants;

    @Option(names = "--days", defaultValue = "60", description = "Days to simulate (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; same seed, same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", paramLabel = "DATE", defaultValue = "2026-01-01",
            description = "First simulated day, yyyy-MM-dd (default: ${DEFAULT-VALUE}).")
    String start;

    @Option(names = "--units-per-day", defaultValue = "30", description = "Units per line and day (default: ${DEFAULT-VALUE}).")
    int unitsPerDay;

    @Option(names = "--scale", defaultValue = "1", description = "Multiplies --units-per-day, for benchmark-sized data (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--subgroups-per-day", defaultValue = "8",
            description = "Measurement subgroups (of 5) per characteristic and day (default: ${DEFAULT-VALUE}).")
    int subgroupsPerDay;

    @Option(names = "--duplicate-rate", defaultValue = "0.005", description = "Exact duplicates per record (default: ${DEFAULT-VALUE}).")
    double duplicateRate;

    @Option(names = "--malformed-rate", defaultValue = "0.002", description = "Malformed records per record (default: ${DEFAULT-VALUE}).")
    double malformedRate;

    @Option(names = "--out-of-order-rate", defaultValue = "0.01", description = "Records delayed 1-30 min (default: ${DEFAULT-VALUE}).")
    double outOfOrderRate;

    @Option(names = "--late-rate", defaultValue = "0.001", description = "Records delayed 2-3 days (default: ${DEFAULT-VALUE}).")
    double lateRate;

    @Option(names = "--no-bad-lot", description = "Plant no bad supplier lot (a world where every lot is as good as its model at its plant).")
    boolean noBadLot;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions for topics that do not exist yet (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws IOException {
        SimulationConfig config = config();
        boolean toKafka = kafkaOptions.isSet();
        if (toKafka == (out != null)) {
            throw new UserError("say where events go: either --out FILE.jsonl or --bootstrap HOST:PORT (Kafka)");
        }
        Simulator sim = new Simulator(config);
        ReferenceWriter.write(sim.world(), referenceOut);
        long t0 = System.nanoTime();
        Truth truth;
        String where;
        try (EventSink sink = toKafka ? kafkaSink() : new JsonlSink(out);
             Progress progress = Progress.start("simulate", config.days(), "days", quiet)) {
            truth = sim.run(sink, d -> progress.stepTo(d, ""));
            where = toKafka ? "Kafka " + kafkaOptions.clientProperties().getProperty("bootstrap.servers") : out.toString();
        }
        truth.write(referenceOut.resolve("truth.json"));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("simulated %d days, %d plants: %,d records (%,d valid unique, %,d duplicates, %,d malformed) "
                        + "to %s in %.1f s (%,.0f records/s)%n", config.days(), config.plants(), truth.records(),
                truth.records() - (long) truth.injected().get("duplicates") - (long) truth.injected().get("malformed"),
                (long) truth.injected().get("duplicates"), (long) truth.injected().get("malformed"), where, secs,
                truth.records() / Math.max(secs, 1e-9));
        System.out.println("reference files and truth.json in " + referenceOut.toAbsolutePath());
        return 0;
    }

    private EventSink kafkaSink() {
        Properties client = kafkaOptions.clientProperties();
        KafkaTopics.ensure(client, partitions, Topic.PRODUCTION, Topic.FIELD, Topic.QUARANTINE);
        return new KafkaSink(client);
    }

    SimulationConfig config() {
        LocalDate startDate;
        try {
            startDate = LocalDate.parse(start);
        } catch (DateTimeParseException e) {
            throw new UserError("--start '" + start + "' is not a date (yyyy-MM-dd)");
        }
        if (scale < 1 || (long) scale * unitsPerDay > 1_000_000) {
            throw new UserError("--scale must be >= 1 and --scale x --units-per-day <= 1000000");
        }
        return new SimulationConfig(seed, plants, days, startDate, unitsPerDay * scale, subgroupsPerDay,
                duplicateRate, malformedRate, outOfOrderRate, lateRate, !noBadLot);
    }
}
