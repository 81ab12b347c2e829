package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.BronzeColumns;
import io.qualitylake.schemas.BronzeColumns.Column;
import io.qualitylake.schemas.Topic;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Snappy-compressed bronze Parquet with standard 3-level lists (what Spark and DuckDB expect).
 *
 * <p>The file schema is Avro's conversion of the {@link BronzeAvro} schema, exactly as
 * parquet-avro writes it (Avro readers find their schema in the footer too), but rows are written
 * by {@link BronzeWriteSupport}, which walks the {@link BronzeColumns} contract directly instead of
 * resolving every value through Avro's generic data model — the largest cost of the ingest job's
 * writer in profiles.
 *
 * <p>A bulk replay opens one writer per event_date × plant bucket, so a writer must be cheap to
 * create and to keep: all writers share one Hadoop configuration (a new Configuration per writer
 * re-reads its XML defaults), and none keeps dictionaries.
 */
public final class ParquetFiles {
    private ParquetFiles() {}

    /**
     * No dictionaries and small pages: a replay can hold one open writer per event_date × plant
     * bucket, and per-column dictionary buffers of ~2,000 open writers exhausted a 3 GB heap.
     * Bronze is the raw layer (Snappy still compresses the repeats); silver is Delta, rewritten by Spark.
     */
    private static final int PAGE_BYTES = 64 * 1024;

    /**
     * Text columns with a handful of distinct values per file. A dictionary that outgrows
     * {@link #DICTIONARY_BYTES} falls back to plain encoding, so a surprise cannot grow a writer.
     */
    static final java.util.Set<String> FEW_DISTINCT = java.util.Set.of("event_type", "schema", "plant_id", "source",
            "product_model", "line_id", "shift", "result", "station_id", "characteristic_id", "collection",
            "defect_code", "severity", "disposition", "checker", "region", "failure_mode", "reason",
            "components.list.element.component", "components.list.element.supplier_id");
    private static final int DICTIONARY_BYTES = 64 * 1024;
    /** The text fields of a components element, in order. */
    private static final List<String> COMPONENT_FIELDS = List.of("component", "supplier_id", "lot_id");

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

    public static ParquetWriterFactory<GenericRecord> writer(Topic table) {
        return new ParquetWriterFactory<>(new Builder(table));
    }

    /** The Parquet schema of a bronze table: parquet-avro's conversion of its Avro schema. */
    static MessageType parquetSchema(Topic table) {
        return new AvroSchemaConverter(configuration()).convert(BronzeAvro.of(table));
    }

    private static final class Builder implements ParquetBuilder<GenericRecord> {
        private final Topic table;

        Builder(Topic table) {
            this.table = table;
        }

        @Override
        public ParquetWriter<GenericRecord> createWriter(OutputFile out) throws java.io.IOException {
            WriterBuilder b = new WriterBuilder(out, table)
                    .withConf(configuration())
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .withDictionaryEncoding(false)
                    .withPageSize(PAGE_BYTES)
                    // per-page level histograms and byte counts: planning aids no bronze reader uses
                    .withSizeStatisticsEnabled(false);
            // min/max of text columns (ids, raw JSON) prune nothing on bronze and cost a byte-wise
            // compare per value; times and numbers keep theirs
            for (Column c : BronzeColumns.of(table)) {
                if (c.type() == BronzeColumns.Type.STRING) {
                    b = b.withStatisticsEnabled(c.name(), false);
                } else if (c.type() == BronzeColumns.Type.COMPONENTS) {
                    // the leaf paths of the nested list (the column name alone did not reach them:
                    // their min/max compares were 3 % of the write task)
                    for (String leaf : COMPONENT_FIELDS) {
                        b = b.withStatisticsEnabled(c.name() + ".list.element." + leaf, false);
                    }
                }
            }
            // text with few distinct values (types, plants, lines, codes) is dictionary-encoded: a
            // small id per row instead of the bytes again, less to compress and to write
            for (String column : FEW_DISTINCT) {
                b = b.withDictionaryEncoding(column, true);
            }
            return b.withDictionaryPageSize(DICTIONARY_BYTES).build();
        }
    }

    private static final class WriterBuilder extends ParquetWriter.Builder<GenericRecord, WriterBuilder> {
        private final Topic table;

        WriterBuilder(OutputFile out, Topic table) {
            super(out);
            this.table = table;
        }

        @Override
        protected WriterBuilder self() {
            return this;
        }

        @Override
        protected WriteSupport<GenericRecord> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return new BronzeWriteSupport(table);
        }
    }

    /** Writes bronze rows column by column from the contract types; null columns are left out. */
    static final class BronzeWriteSupport extends WriteSupport<GenericRecord> {
        private final Topic table;
        private final MessageType schema;
        private final String[] names;
        private final BronzeColumns.Type[] types;
        private RecordConsumer out;

        BronzeWriteSupport(Topic table) {
            this.table = table;
            this.schema = Schemas.parquet(table);
            List<Column> columns = BronzeColumns.of(table);
            this.names = columns.stream().map(Column::name).toArray(String[]::new);
            this.types = columns.stream().map(Column::type).toArray(BronzeColumns.Type[]::new);
        }

        @Override
        public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
            return new WriteContext(schema, Map.of("parquet.avro.schema", Schemas.avroJson(table), "writer.model.name", "avro"));
        }

        @Override
        public String getName() {
            return "qlake-bronze";
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(GenericRecord r) {
            out.startMessage();
            for (int i = 0; i < types.length; i++) {
                Object v = r.get(i);
                if (v == null) {
                    continue;
                }
                out.startField(names[i], i);
                switch (types[i]) {
                    case STRING -> out.addBinary(text(v));
                    case DOUBLE -> out.addDouble((Double) v);
                    case INT -> out.addInteger((Integer) v);
                    case LONG, TIMESTAMP_MICROS -> out.addLong((Long) v);
                    case BOOLEAN -> out.addBoolean((Boolean) v);
                    case COMPONENTS -> writeComponents((List<?>) v);
                }
                out.endField(names[i], i);
            }
            out.endMessage();
        }

        /** Text as UTF-8: rows that crossed a shuffle carry the bytes already ({@link Utf8}). */
        private static Binary text(Object v) {
            return v instanceof Utf8 u ? Binary.fromConstantByteArray(u.getBytes(), 0, u.getByteLength())
                    : Binary.fromString(v.toString());
        }

        /** {@code optional group (LIST) { repeated group list { required group element {3 strings} } }}. */
        private void writeComponents(List<?> list) {
            out.startGroup();
            if (!list.isEmpty()) {
                out.startField("list", 0);
                for (Object o : list) {
                    GenericRecord c = (GenericRecord) o;
                    out.startGroup();
                    out.startField("element", 0);
                    out.startGroup();
                    component(0, "component", c);
                    component(1, "supplier_id", c);
                    component(2, "lot_id", c);
                    out.endGroup();
                    out.endField("element", 0);
                    out.endGroup();
                }
                out.endField("list", 0);
            }
            out.endGroup();
        }

        private void component(int index, String name, GenericRecord c) {
            out.startField(name, index);
            out.addBinary(text(c.get(index)));
            out.endField(name, index);
        }
    }

    /** Per-table schemas, converted once per JVM. */
    private static final class Schemas {
        private static final Map<Topic, MessageType> PARQUET = new java.util.concurrent.ConcurrentHashMap<>();
        private static final Map<Topic, String> AVRO_JSON = new java.util.concurrent.ConcurrentHashMap<>();

        static MessageType parquet(Topic t) {
            return PARQUET.computeIfAbsent(t, ParquetFiles::parquetSchema);
        }

        static String avroJson(Topic t) {
            return AVRO_JSON.computeIfAbsent(t, k -> BronzeAvro.of(k).toString());
        }
    }
}
