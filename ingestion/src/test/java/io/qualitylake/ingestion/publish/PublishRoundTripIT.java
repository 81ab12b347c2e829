package io.qualitylake.ingestion.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.Cli;
import io.qualitylake.ingestion.IngestionCli;
import io.qualitylake.ingestion.sink.JsonlSink;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.ingestion.simulate.Truth;
import io.qualitylake.schemas.Defect;
import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.UnitCompleted;
import io.qualitylake.schemas.ValidationResult;
import io.qualitylake.testkit.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** qlake publish through a real broker, with the two shipped mappings of public datasets. */
@Timeout(300)
class PublishRoundTripIT {
    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    static final Path EXAMPLES = Path.of("..", "examples");

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {}

    static Result qlake(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Cli.commandLine(new IngestionCli(), args).execute(args);
            return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static List<QualityEvent> events(List<ConsumerRecord<String, byte[]>> records) {
        EventValidator v = new EventValidator();
        return records.stream().map(r -> ((ValidationResult.Valid) v.validate(r.value(), Topic.PRODUCTION, Instant.now())).event())
                .collect(Collectors.toList());
    }

    @Test
    void ai4iMillingRecordsBecomeUnitsMeasurementsAndCodedDefects() {
        Result r = qlake("publish", "--bootstrap", KAFKA.bootstrapServers(), "--mapping",
                EXAMPLES.resolve("publish/ai4i2020.mapping.json").toString(),
                EXAMPLES.resolve("data/ai4i2020/ai4i2020.csv").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        // Counts of this file (refdata SOURCE.txt): 10,000 rows; TWF 46, HDF 115, PWF 95, OSF 98, RNF 19; 339 failures
        int expected = 10_000 + 10_000 + 46 + 115 + 95 + 98 + 19;
        assertTrue(r.out().contains(String.format("sent %,d records, rejected 0", expected)), r.out());
        List<QualityEvent> events = events(KAFKA.readAll(Topic.PRODUCTION.topicName(), Integer.MAX_VALUE, Duration.ofSeconds(20)))
                .stream().filter(e -> e.plantId().equals("AI4I")).toList();
        assertEquals(expected, events.size());
        Map<String, Long> defects = new TreeMap<>(events.stream().filter(e -> e instanceof Defect)
                .collect(Collectors.groupingBy(e -> ((Defect) e).defectCode(), Collectors.counting())));
        assertEquals(Map.of("HDF", 115L, "OSF", 98L, "PWF", 95L, "RNF", 19L, "TWF", 46L), defects);
        long scrap = events.stream().filter(e -> e instanceof UnitCompleted u && u.result().equals("SCRAP")).count();
        assertEquals(339, scrap);
    }

    @Test
    void steelPlatesBecomeDefectsWithThePublishedClassCounts() {
        Result r = qlake("publish", "--bootstrap", KAFKA.bootstrapServers(), "--mapping",
                EXAMPLES.resolve("publish/steel_plates_faults.mapping.json").toString(),
                EXAMPLES.resolve("data/steel_plates_faults/SteelPlatesFaults_Clean.csv").toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        List<QualityEvent> all = events(KAFKA.readAll(Topic.PRODUCTION.topicName(), 100_000, Duration.ofSeconds(20)));
        Map<String, Long> classes = new TreeMap<>(all.stream()
                .filter(e -> e instanceof Defect d && d.plantId().equals("STEEL"))
                .collect(Collectors.groupingBy(e -> ((Defect) e).defectCode(), Collectors.counting())));
        // Class counts published with the dataset (refdata SOURCE.txt): 1,941 plates, one fault each
        assertEquals(Map.of("OTHER", 673L, "BUMPS", 402L, "K_SCATCH", 391L, "Z_SCRATCH", 190L, "PASTRY", 158L,
                "STAINS", 72L, "DIRTINESS", 55L), classes);
    }

    @Test
    void simulatedJsonlIsRoutedByEventTypeAndMalformedRecordsAreReported() throws Exception {
        Path file = tmp.resolve("sim.jsonl");
        SimulationConfig c = SimulationConfig.defaults().withScale(2, 15, 5);
        Truth truth;
        try (JsonlSink sink = new JsonlSink(file)) {
            truth = new Simulator(c).run(sink, d -> {});
        }
        Result r = qlake("publish", "--bootstrap", KAFKA.bootstrapServers(), file.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        long malformed = (long) truth.injected().get("malformed");
        long sent = truth.records() - malformed;
        assertTrue(r.out().startsWith(String.format("sent %,d records, rejected %,d", sent, malformed)), r.out());
        long field = truth.counts().get("UNIT_INSTALLED") + truth.counts().get("FIELD_FAILURE");
        List<ConsumerRecord<String, byte[]>> fieldRecords = KAFKA.readAll(Topic.FIELD.topicName(), (int) field, Duration.ofSeconds(60));
        assertTrue(fieldRecords.size() >= field, "field topic got " + fieldRecords.size() + " of >= " + field);
        ConsumerRecord<String, byte[]> one = fieldRecords.get(0);
        assertTrue(one.key().matches("P\\d\\d-L\\d-\\d{6}-\\d{5}"), "keyed by serial_no: " + one.key());
    }

    @Test
    void userMistakesGiveOneLineAndNonZeroExit() throws Exception {
        Path csv = tmp.resolve("x.csv");
        Files.writeString(csv, "a,b\n1,2\n");
        Result missingColumn = qlake("publish", "--dry-run", "--mapping",
                EXAMPLES.resolve("publish/steel_plates_faults.mapping.json").toString(), csv.toString());
        assertEquals(2, missingColumn.exit());
        assertTrue(missingColumn.err().contains("does not have"), missingColumn.err());
        assertEquals(1, missingColumn.err().strip().lines().count(), missingColumn.err());

        Result noMapping = qlake("publish", "--dry-run", csv.toString());
        assertEquals(2, noMapping.exit());
        Result unreadable = qlake("publish", "--dry-run", tmp.resolve("nope.jsonl").toString());
        assertEquals(2, unreadable.exit());
        assertTrue(unreadable.err().contains("cannot read"), unreadable.err());

        Path junk = tmp.resolve("junk.jsonl");
        Files.writeString(junk, "{not json}\n{\"schema\":\"qlake.production/9\"}\n");
        Result nothingValid = qlake("publish", "--dry-run", junk.toString());
        assertEquals(1, nothingValid.exit());
        assertTrue(nothingValid.out().contains("rejected 2"), nothingValid.out());
        assertTrue(nothingValid.out().contains("INVALID_JSON") && nothingValid.out().contains("UNKNOWN_SCHEMA"), nothingValid.out());
    }
}
