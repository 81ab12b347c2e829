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

/** Snappy-compressed Parquet from Avro records, with standard 3-level lists (what Spark and DuckDB expect). */
final class ParquetFiles {
    private ParquetFiles() {}

    static ParquetWriterFactory<GenericRecord> writer(Schema schema) {
        return new ParquetWriterFactory<>(new Builder(schema.toString()));
    }

    private static final class Builder implements ParquetBuilder<GenericRecord> {
        private final String schemaJson;

        Builder(String schemaJson) {
            this.schemaJson = schemaJson;
        }

        @Override
        public ParquetWriter<GenericRecord> createWriter(OutputFile out) throws java.io.IOException {
            return AvroParquetWriter.<GenericRecord>builder(out)
                    .withSchema(new Schema.Parser().parse(schemaJson))
                    .withDataModel(GenericData.get())
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false")
                    .build();
        }
    }
}
