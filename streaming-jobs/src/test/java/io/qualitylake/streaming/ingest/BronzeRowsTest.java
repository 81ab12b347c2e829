package io.qualitylake.streaming.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.ingestion.sink.InMemorySink;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.QuarantineRecord;
import io.qualitylake.schemas.Reason;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job's own row serializer and Parquet writer against the Avro codecs they replace: every event
 * type of a simulated world (with faults, so nulls and empty component lists occur) and quarantine
 * rows survive a serializer round trip unchanged, and the Parquet files hold exactly what
 * parquet-avro writes for the same rows, under the same schema.
 */
class BronzeRowsTest {
    static final Map<Topic, List<GenericRecord>> ROWS = new EnumMap<>(Topic.class);

    @BeforeAll
    static void rows() {
        InMemorySink sink = new InMemorySink();
        new Simulator(SimulationConfig.defaults().withSeed(3).withScale(2, 60, 8).withFaults(0.02, 0.01, 0.02, 0.01))
                .run(sink, d -> {});
        List<byte[]> records = new ArrayList<>(sink.records());
        IngestFixtures.INVALID.keySet().forEach(raw -> records.add(IngestFixtures.bytes(raw)));
        EventValidator v = new EventValidator();
        for (Topic t : List.of(Topic.PRODUCTION, Topic.FIELD, Topic.QUARANTINE)) {
            ROWS.put(t, new ArrayList<>());
        }
        long offset = 0;
        for (byte[] raw : records) {
            ValidationResult r = v.validate(raw, null, IngestFixtures.NOW);
            if (r instanceof ValidationResult.Valid ok) {
                ROWS.get(ok.event().topic()).add(BronzeAvro.row(ok.event(), 1_700_000_000_000_000L, "qlake.production.v1", 1, offset++));
            } else {
                ValidationResult.Invalid bad = (ValidationResult.Invalid) r;
                ROWS.get(Topic.QUARANTINE).add(BronzeAvro.quarantine(new QuarantineRecord(new String(raw, java.nio.charset.StandardCharsets.UTF_8),
                        "f.jsonl", -1, offset++, bad.reason(), bad.message(), IngestFixtures.NOW)));
            }
        }
        ROWS.get(Topic.QUARANTINE).add(BronzeAvro.quarantine(new QuarantineRecord("{\"ü\": \"😀\"", "f.jsonl", -1, 9,
                Reason.INVALID_JSON, "non-ASCII text survives", IngestFixtures.NOW)));
        assertTrue(ROWS.get(Topic.PRODUCTION).size() > 1000 && ROWS.get(Topic.FIELD).size() > 10
                && ROWS.get(Topic.QUARANTINE).size() > 10,
                "every table has rows: " + ROWS.values().stream().map(List::size).toList());
    }

    @Test
    void theSerializerRoundTripsEveryRow() throws IOException {
        for (Topic t : ROWS.keySet()) {
            TypeSerializer<GenericRecord> s = new BronzeRowType(t).createSerializer(new SerializerConfigImpl());
            DataOutputSerializer out = new DataOutputSerializer(1 << 16);
            for (GenericRecord r : ROWS.get(t)) {
                s.serialize(r, out);
            }
            DataInputDeserializer in = new DataInputDeserializer(out.getSharedBuffer(), 0, out.length());
            for (GenericRecord r : ROWS.get(t)) {
                GenericRecord back = s.deserialize(in);
                assertEquals(r, back, t + " row");
                assertEquals(r, s.copy(r));
            }
            assertEquals(0, in.available(), "nothing left over");
        }
    }

    @Test
    void parquetFilesMatchWhatParquetAvroWrites(@TempDir Path dir) throws IOException {
        for (Topic t : ROWS.keySet()) {
            Path ours = dir.resolve(t.name() + "-ours.parquet");
            Path avro = dir.resolve(t.name() + "-avro.parquet");
            writeThroughTheSinkFactory(t, ours);
            org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
            conf.set(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false");
            try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(avro))
                    .withSchema(BronzeAvro.of(t)).withDataModel(GenericData.get()).withConf(conf).build()) {
                for (GenericRecord r : ROWS.get(t)) {
                    w.write(r);
                }
            }
            assertEquals(schema(avro), schema(ours), t + " file schema");
            assertEquals(read(avro), read(ours), t + " rows read back");
            assertEquals(ROWS.get(t).size(), read(ours).size());
        }
    }

    /**
     * The way the job writes a part file: rows as they arrive after the keyBy (through the row
     * serializer, so text is Avro Utf8), into the FileSink's bulk writer over a Flink output stream.
     */
    private static void writeThroughTheSinkFactory(Topic t, Path file) throws IOException {
        TypeSerializer<GenericRecord> s = new BronzeRowType(t).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer bytes = new DataOutputSerializer(1 << 16);
        for (GenericRecord r : ROWS.get(t)) {
            s.serialize(r, bytes);
        }
        DataInputDeserializer in = new DataInputDeserializer(bytes.getSharedBuffer(), 0, bytes.length());
        try (var stream = new org.apache.flink.core.fs.local.LocalDataOutputStream(file.toFile())) {
            var w = ParquetFiles.writer(t).create(stream);
            for (int i = 0; i < ROWS.get(t).size(); i++) {
                w.addElement(s.deserialize(in));
            }
            w.finish();
        }
    }

    private static String schema(Path f) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
            return r.getFooter().getFileMetaData().getSchema().toString();
        }
    }

    private static List<String> read(Path f) throws IOException {
        List<String> out = new ArrayList<>();
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f)).build()) {
            GenericRecord rec;
            while ((rec = r.read()) != null) {
                out.add(rec.toString());
            }
        }
        return out;
    }
}
