package io.qualitylake.streaming.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.util.Utf8;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The dedupe key: the 128-bit MurmurHash3 of an event_id's UTF-8 bytes. The dedupe state holds
 * one entry per id for the whole retention (millions of entries), so its key is two longs instead
 * of a String: a third of the memory per entry, a fixed 16 bytes per entry in a checkpoint, and a
 * key that rows arriving after the keyBy hash straight from their bytes.
 *
 * <p>Two different ids share a key only by a hash collision: for n ids within one retention the
 * chance of any is about n²/2¹²⁹ — 1.5 × 10⁻²¹ for a billion ids. Such a pair would be counted as a
 * duplicate (never lost silently). MurmurHash3 is not a cryptographic hash: a producer able to
 * craft ids could force collisions on purpose; producers are the plants' own systems.
 */
public final class EventKey {
    private static final int SEED = 0x51a1e7; // fixed forever: keys live in checkpoints
    final long hi;
    final long lo;

    EventKey(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /** The key of an event_id given as a String or as Avro {@link Utf8} bytes. */
    public static EventKey of(CharSequence eventId) {
        long[] h;
        if (eventId instanceof Utf8 u) {
            h = MurmurHash3.hash128x64(u.getBytes(), 0, u.getByteLength(), SEED);
        } else {
            byte[] b = eventId.toString().getBytes(StandardCharsets.UTF_8);
            h = MurmurHash3.hash128x64(b, 0, b.length, SEED);
        }
        return new EventKey(h[0], h[1]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventKey k && k.hi == hi && k.lo == lo;
    }

    @Override
    public int hashCode() {
        return (int) (lo ^ (lo >>> 32));
    }

    @Override
    public String toString() {
        return String.format("%016x%016x", hi, lo);
    }

    /** Flink type of the key: a fixed 16-byte serializer. */
    public static final class Type extends TypeInformation<EventKey> {
        @Override public boolean isBasicType() { return false; }
        @Override public boolean isTupleType() { return false; }
        @Override public int getArity() { return 1; }
        @Override public int getTotalFields() { return 1; }
        @Override public Class<EventKey> getTypeClass() { return EventKey.class; }
        @Override public boolean isKeyType() { return true; }
        @Override public TypeSerializer<EventKey> createSerializer(SerializerConfig config) { return Serializer.INSTANCE; }
        @Override public String toString() { return "EventKey"; }
        @Override public boolean equals(Object o) { return o instanceof Type; }
        @Override public int hashCode() { return Type.class.hashCode(); }
        @Override public boolean canEqual(Object o) { return o instanceof Type; }
    }

    static final class Serializer extends TypeSerializerSingleton<EventKey> {
        static final Serializer INSTANCE = new Serializer();

        @Override public boolean isImmutableType() { return true; }
        @Override public EventKey createInstance() { return new EventKey(0, 0); }
        @Override public EventKey copy(EventKey from) { return from; }
        @Override public EventKey copy(EventKey from, EventKey reuse) { return from; }
        @Override public int getLength() { return 16; }

        @Override
        public void serialize(EventKey k, DataOutputView out) throws IOException {
            out.writeLong(k.hi);
            out.writeLong(k.lo);
        }

        @Override
        public EventKey deserialize(DataInputView in) throws IOException {
            return new EventKey(in.readLong(), in.readLong());
        }

        @Override
        public EventKey deserialize(EventKey reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            out.write(in, 16);
        }

        @Override
        public TypeSerializerSnapshot<EventKey> snapshotConfiguration() {
            return new Snapshot();
        }

        private Object readResolve() {
            return INSTANCE;
        }
    }

    /** Version 1 of the key format; restoring needs nothing but this class. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EventKey> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
