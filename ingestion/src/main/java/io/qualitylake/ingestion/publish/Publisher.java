package io.qualitylake.ingestion.publish;

import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.sink.EventSink;
import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.Reason;
import io.qualitylake.schemas.ValidationResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** Validates records one by one, sends the valid ones to their topic, and tallies the rest. */
final class Publisher {
    private static final int MAX_EXAMPLES = 5;

    record Report(long sent, long rejected, Map<Reason, Long> byReason, List<String> examples) {}

    private final EventValidator validator = new EventValidator();
    private final Instant now;
    private final Map<Reason, Long> byReason = new EnumMap<>(Reason.class);
    private final List<String> examples = new ArrayList<>();
    private long sent;
    private long rejected;

    Publisher(Instant now) {
        this.now = now;
    }

    void publishJsonl(Path file, EventSink sink) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long no = 0;
            while ((line = in.readLine()) != null) {
                no++;
                if (!line.isBlank()) {
                    offer(line, file.getFileName() + ":" + no, sink);
                }
            }
        }
    }

    void publishCsv(Path file, CsvMapping mapping, EventSink sink) throws IOException {
        String stem = file.getFileName().toString().replaceAll("\\.[^.]*$", "").replaceAll("[^A-Za-z0-9._-]", "_");
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                     .setIgnoreEmptyLines(true).get().parse(new BomSkippingReader(r))) {
            mapping.checkColumns(new HashSet<>(csv.getHeaderNames()), file);
            for (CSVRecord rec : csv) {
                if (!rec.isConsistent()) {
                    reject(Reason.INVALID_JSON, file.getFileName() + ":" + (rec.getRecordNumber() + 1),
                            "row has " + rec.size() + " values, header has " + csv.getHeaderNames().size());
                    continue;
                }
                Map<String, String> row = rec.toMap();
                for (String json : mapping.events(row, rec.getRecordNumber(), stem)) {
                    offer(json, file.getFileName() + ":" + (rec.getRecordNumber() + 1), sink);
                }
            }
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new UserError("cannot parse CSV " + file + ": " + e.getMessage());
        }
    }

    private void offer(String record, String where, EventSink sink) {
        ValidationResult r = validator.validate(record, null, now);
        if (r instanceof ValidationResult.Valid v) {
            QualityEvent e = v.event();
            if (sink != null) {
                sink.send(e.topic(), e.kafkaKey(), record.getBytes(StandardCharsets.UTF_8));
            }
            sent++;
        } else {
            ValidationResult.Invalid inv = (ValidationResult.Invalid) r;
            reject(inv.reason(), where, inv.message());
        }
    }

    private void reject(Reason reason, String where, String message) {
        rejected++;
        byReason.merge(reason, 1L, Long::sum);
        if (examples.size() < MAX_EXAMPLES) {
            examples.add(where + " " + reason + ": " + message);
        }
    }

    Report report() {
        return new Report(sent, rejected, new EnumMap<>(byReason), List.copyOf(examples));
    }

    /** Drops a UTF-8 byte-order mark at the start (some published CSV files have one). */
    private static final class BomSkippingReader extends java.io.FilterReader {
        private boolean first = true;

        BomSkippingReader(Reader in) {
            super(in);
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (first && n > 0) {
                first = false;
                if (buf[off] == '\uFEFF') {
                    System.arraycopy(buf, off + 1, buf, off, n - 1);
                    return n - 1 == 0 ? read(buf, off, len) : n - 1;
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0];
        }
    }
}
