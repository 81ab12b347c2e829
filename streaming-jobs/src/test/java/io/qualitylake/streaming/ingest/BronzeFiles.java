package io.qualitylake.streaming.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/** Reads committed bronze Parquet files the way lake readers do: hidden (in-progress) files skipped. */
public final class BronzeFiles {
    private BronzeFiles() {}

    public static List<Path> committed(Path table) throws IOException {
        if (!Files.exists(table)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().startsWith("_"))
                    .filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    public static List<GenericRecord> read(Path table) throws IOException {
        List<GenericRecord> out = new ArrayList<>();
        for (Path f : committed(table)) {
            try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f)).build()) {
                GenericRecord rec;
                while ((rec = r.read()) != null) {
                    out.add(rec);
                }
            }
        }
        return out;
    }

    public static List<String> ids(Path table) throws IOException {
        return read(table).stream().map(r -> r.get("event_id").toString()).toList();
    }
}
