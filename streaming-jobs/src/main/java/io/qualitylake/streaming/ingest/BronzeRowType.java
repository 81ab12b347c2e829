package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.BronzeColumns;
import io.qualitylake.schemas.BronzeColumns.Column;
import io.qualitylake.schemas.Topic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import java.nio.charset.StandardCharsets;

/**
 * The Flink type of a bronze row between operators. The rows are Avro records shaped by
 * {@link BronzeColumns}; instead of Avro's generic binary codec (schema resolution and a union per
 * nullable column, a top cost of the keyBy shuffle in profiles), the serializer writes one bitmask
 * of null columns and then each present value by its contract type.
 */
public final class BronzeRowType extends TypeInformation<GenericRecord> {
    private final Topic topic;

    public BronzeRowType(Topic topic) {
        this.topic = topic;
        BronzeColumns.of(topic); // fails fast for a topic without a bronze table
    }

    @Override public boolean isBasicType() { return false; }
    @Override public boolean isTupleType() { return false; }
    @Override public int getArity() { return 1; }
    @Override public int getTotalFields() { return 1; }
    @Override public Class<GenericRecord> getTypeClass() { return GenericRecord.class; }
    @Override public boolean isKeyType() { return false; }

    @Override
    public TypeSerializer<GenericRecord> createSerializer(SerializerConfig config) {
        return new Serializer(topic);
    }

    @Override public String toString() { return "BronzeRow(" + topic.lakeName() + ")"; }
    @Override public boolean equals(Object o) { return o instanceof BronzeRowType t && t.topic == topic; }
    @Override public int hashCode() { return topic.hashCode(); }
    @Override public boolean canEqual(Object o) { return o instanceof BronzeRowType; }

    /** Stateless apart from the table it serves; safe to share between threads. */
    static final class Serializer extends TypeSerializer<GenericRecord> {
        private final Topic topic;
        private final transient Schema schema;
        private final transient Schema componentSchema;
        private final transient BronzeColumns.Type[] types;

        Serializer(Topic topic) {
            this.topic = topic;
            this.schema = BronzeAvro.of(topic);
            List<Column> columns = BronzeColumns.of(topic);
            if (columns.size() > Long.SIZE) {
                throw new IllegalStateException("null mask holds 64 columns; " + topic + " has " + columns.size());
            }
            this.types = columns.stream().map(Column::type).toArray(BronzeColumns.Type[]::new);
            Schema.Field comps = schema.getField("components");
            this.componentSchema = comps == null ? null : comps.schema().getTypes().get(1).getElementType();
        }

        private Object readResolve() {
            return new Serializer(topic);
        }

        @Override public boolean isImmutableType() { return false; }
        @Override public TypeSerializer<GenericRecord> duplicate() { return this; }
        @Override public GenericRecord createInstance() { return new GenericData.Record(schema); }
        @Override public int getLength() { return -1; }

        @Override
        public GenericRecord copy(GenericRecord from) {
            GenericData.Record to = new GenericData.Record(schema);
            for (int i = 0; i < types.length; i++) {
                Object v = from.get(i);
                if (v != null && types[i] == BronzeColumns.Type.COMPONENTS) {
                    List<GenericRecord> list = new ArrayList<>();
                    for (Object c : (List<?>) v) {
                        list.add(new GenericData.Record((GenericData.Record) c, true));
                    }
                    v = list;
                }
                to.put(i, v);
            }
            return to;
        }

        @Override
        public GenericRecord copy(GenericRecord from, GenericRecord reuse) {
            return copy(from);
        }

        @Override
        public void serialize(GenericRecord r, DataOutputView out) throws IOException {
            long nulls = 0;
            for (int i = 0; i < types.length; i++) {
                if (r.get(i) == null) {
                    nulls |= 1L << i;
                }
            }
            out.writeLong(nulls);
            for (int i = 0; i < types.length; i++) {
                Object v = r.get(i);
                if (v == null) {
                    continue;
                }
                switch (types[i]) {
                    case STRING -> writeString(v, out);
                    case DOUBLE -> out.writeDouble((Double) v);
                    case INT -> out.writeInt((Integer) v);
                    case LONG, TIMESTAMP_MICROS -> out.writeLong((Long) v);
                    case BOOLEAN -> out.writeBoolean((Boolean) v);
                    case COMPONENTS -> {
                        List<?> list = (List<?>) v;
                        out.writeInt(list.size());
                        for (Object o : list) {
                            GenericRecord c = (GenericRecord) o;
                            writeString(c.get(0), out);
                            writeString(c.get(1), out);
                            writeString(c.get(2), out);
                        }
                    }
                }
            }
        }

        @Override
        public GenericRecord deserialize(DataInputView in) throws IOException {
            GenericData.Record r = new GenericData.Record(schema);
            long nulls = in.readLong();
            for (int i = 0; i < types.length; i++) {
                if ((nulls & (1L << i)) != 0) {
                    continue;
                }
                r.put(i, switch (types[i]) {
                    case STRING -> readString(in);
                    case DOUBLE -> in.readDouble();
                    case INT -> in.readInt();
                    case LONG, TIMESTAMP_MICROS -> in.readLong();
                    case BOOLEAN -> in.readBoolean();
                    case COMPONENTS -> {
                        int n = in.readInt();
                        List<GenericRecord> list = new ArrayList<>(n);
                        for (int k = 0; k < n; k++) {
                            GenericData.Record c = new GenericData.Record(componentSchema);
                            c.put(0, readString(in));
                            c.put(1, readString(in));
                            c.put(2, readString(in));
                            list.add(c);
                        }
                        yield list;
                    }
                });
            }
            return r;
        }

        @Override
        public GenericRecord deserialize(GenericRecord reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        /** Length-prefixed UTF-8 (JSON text, ids and names are mostly ASCII: a fast path in the JDK). */
        private static void writeString(Object v, DataOutputView out) throws IOException {
            if (v instanceof Utf8 u) {
                out.writeInt(u.getByteLength());
                out.write(u.getBytes(), 0, u.getByteLength());
                return;
            }
            byte[] b = v.toString().getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }

        /**
         * Text comes back as Avro {@link Utf8}: the bytes as sent, decoded to a String only if someone
         * asks (the key and the partition directory do); the Parquet writer takes the bytes as they are.
         */
        private static Utf8 readString(DataInputView in) throws IOException {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            return new Utf8(b);
        }

        @Override public boolean equals(Object o) { return o instanceof Serializer s && s.topic == topic; }
        @Override public int hashCode() { return topic.hashCode(); }

        @Override
        public TypeSerializerSnapshot<GenericRecord> snapshotConfiguration() {
            return new Snapshot(topic);
        }
    }

    /** Records which table the serializer was for; a row type is compatible with itself only. */
    public static final class Snapshot implements TypeSerializerSnapshot<GenericRecord> {
        private Topic topic;

        public Snapshot() {}

        Snapshot(Topic topic) {
            this.topic = topic;
        }

        @Override public int getCurrentVersion() { return 1; }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(topic.name());
        }

        @Override
        public void readSnapshot(int version, DataInputView in, ClassLoader loader) throws IOException {
            topic = Topic.valueOf(in.readUTF());
        }

        @Override
        public TypeSerializer<GenericRecord> restoreSerializer() {
            return new Serializer(topic);
        }

        @Override
        public TypeSerializerSchemaCompatibility<GenericRecord> resolveSchemaCompatibility(
                TypeSerializerSnapshot<GenericRecord> old) {
            return old instanceof Snapshot s && s.topic == topic
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
