package io.qualitylake.streaming.ingest;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

/**
 * Snappy-compressed Parquet from Avro records, with standard 3-level lists (what Spark and DuckDB
 * expect). A bulk replay opens one writer per event_date × plant bucket, so a writer must be cheap
 * to create: all writers of a task share one parsed schema and one Hadoop configuration (a new
 * Configuration per writer re-reads its XML defaults and dominated ingest time).
 */
final class ParquetFiles {
    private ParquetFiles() {}

    /**
     * Nearly unique per row: a dictionary would only be built, hashed and then abandoned
     * (Parquet falls back to plain encoding), which showed as the top cost of the writer task.
     */
    private static final java.util.List<String> NO_DICTIONARY = java.util.List.of("event_id", "serial_no", "subgroup_id",
            "value", "event_time", "ingest_time", "source_offset", "unit_value", "cost", "claim_cost", "operating_hours");

    /** One per JVM (task manager); read-only after creation. */
    private static volatile org.apache.hadoop.conf.Configuration shared;

    private static org.apache.hadoop.conf.Configuration configuration() {
        org.apache.hadoop.conf.Configuration c = shared;
        if (c == null) {
            synchronized (ParquetFiles.class) {
                if (shared == null) {
                    c = new org.apache.hadoop.conf.Configuration();
                    c.set(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false");
                    c.size(); // force the one-time load of the defaults now
                    shared = c;
                }
                c = shared;
            }
        }
        return c;
    }

    static ParquetWriterFactory<GenericRecord> writer(Schema schema) {
        return new ParquetWriterFactory<>(new Builder(schema.toString()));
    }

    private static final class Builder implements ParquetBuilder<GenericRecord> {
        private final String schemaJson;
        private transient Schema schema;

        Builder(String schemaJson) {
            this.schemaJson = schemaJson;
        }

        @Override
        public ParquetWriter<GenericRecord> createWriter(OutputFile out) throws java.io.IOException {
            if (schema == null) {
                schema = new Schema.Parser().parse(schemaJson);
            }
            AvroParquetWriter.Builder<GenericRecord> b = AvroParquetWriter.<GenericRecord>builder(out)
                    .withSchema(schema)
                    .withDataModel(GenericData.get())
                    .withConf(configuration())
                    .withCompressionCodec(CompressionCodecName.SNAPPY);
            for (String column : NO_DICTIONARY) {
                if (schema.getField(column) != null) {
                    b = b.withDictionaryEncoding(column, false);
                }
            }
            return b.build();
        }
    }
}
