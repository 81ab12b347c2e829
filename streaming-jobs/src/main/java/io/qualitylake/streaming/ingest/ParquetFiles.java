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
 * to create and to keep: all writers share one parsed schema and one Hadoop configuration (a new
 * Configuration per writer re-reads its XML defaults), and none keeps dictionaries.
 */
final class ParquetFiles {
    private ParquetFiles() {}

    /**
     * No dictionaries and small pages: a replay can hold one open writer per event_date × plant
     * bucket, and per-column dictionary buffers of ~2,000 open writers exhausted a 3 GB heap.
     * Bronze is the raw layer (Snappy still compresses the repeats); silver is Delta, rewritten by Spark.
     */
    private static final int PAGE_BYTES = 64 * 1024;

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
            return AvroParquetWriter.<GenericRecord>builder(out)
                    .withSchema(schema)
                    .withDataModel(GenericData.get())
                    .withConf(configuration())
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withDictionaryEncoding(false)
                    .withPageSize(PAGE_BYTES)
                    .build();
        }
    }
}
