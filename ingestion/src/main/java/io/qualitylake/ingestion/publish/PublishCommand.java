package io.qualitylake.ingestion.publish;

import io.qualitylake.cli.KafkaOptions;
import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.sink.KafkaSink;
import io.qualitylake.ingestion.kafka.KafkaTopics;
import io.qualitylake.schemas.Topic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qlake publish}: send JSONL, or CSV through a column mapping, to the right topics. */
@Command(name = "publish", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Validate records and send the valid ones to their topic by event_type.",
                "FILE.jsonl: one event a line. FILE.csv: needs --mapping (see docs/csv-mapping.md).",
                "Prints records sent and rejected by reason; exits 1 if nothing valid was sent."})
public class PublishCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafkaOptions = new KafkaOptions();

    @Option(names = "--mapping", paramLabel = "MAPPING.json", description = "Column mapping for CSV input (format: docs/csv-mapping.md; examples: examples/publish/).")
    Path mapping;

    @Option(names = "--dry-run", description = "Validate and count only; send nothing.")
    boolean dryRun;

    @Option(names = "--partitions", defaultValue = "2", description = "Partitions for topics that do not exist yet (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "JSONL or CSV files.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        for (Path f : files) {
            if (!Files.isReadable(f) || Files.isDirectory(f)) {
                throw new UserError("cannot read " + f);
            }
            if (isCsv(f) && mapping == null) {
                throw new UserError(f + " is CSV: give --mapping MAPPING.json (see docs/csv-mapping.md)");
            }
        }
        CsvMapping csvMapping = mapping == null ? null : CsvMapping.load(mapping);
        Properties client = dryRun ? null : kafkaOptions.clientProperties();
        if (client != null) {
            KafkaTopics.ensure(client, partitions, Topic.PRODUCTION, Topic.FIELD);
        }
        Publisher publisher = new Publisher(Instant.now());
        try (KafkaSink sink = client == null ? null : new KafkaSink(client)) {
            for (Path f : files) {
                if (isCsv(f)) {
                    publisher.publishCsv(f, csvMapping, sink);
                } else {
                    publisher.publishJsonl(f, sink);
                }
            }
        }
        Publisher.Report r = publisher.report();
        System.out.printf("%s %,d records, rejected %,d%s%n", dryRun ? "valid (dry run):" : "sent", r.sent(), r.rejected(),
                r.rejected() == 0 ? "" : " " + r.byReason());
        r.examples().forEach(e -> System.out.println("  rejected " + e));
        if (r.sent() == 0) {
            System.err.println("qlake publish: nothing valid to send");
            return 1;
        }
        return 0;
    }

    private static boolean isCsv(Path f) {
        return f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    }
}
