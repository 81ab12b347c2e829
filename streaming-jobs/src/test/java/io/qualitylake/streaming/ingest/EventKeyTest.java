package io.qualitylake.streaming.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.util.Utf8;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The dedupe key: one key per id whatever form the id arrives in, stable across versions. */
class EventKeyTest {
    @Test
    void aStringAndItsUtf8BytesGiveTheSameKey() {
        for (String id : new String[] {"e-1", "P3:line-2:0000000042", "ü-nicode.id", "x".repeat(64)}) {
            assertEquals(EventKey.of(id), EventKey.of(new Utf8(id)), id);
            assertEquals(EventKey.of(id).hashCode(), EventKey.of(new Utf8(id)).hashCode());
        }
        assertNotEquals(EventKey.of("e-1"), EventKey.of("e-2"));
    }

    /**
     * Keys live in checkpoints: a changed seed or hash function would re-admit every id a restored
     * job has seen. A regression pin (recorded when the key was introduced), not a correctness
     * oracle — MurmurHash3 itself is commons-codec's, tested there.
     */
    @Test
    void theDigestIsPinned() {
        assertEquals("7748100a0baeb94914d31ef7c83c7cb5", EventKey.of("e-1").toString());
    }

    @Test
    void noCollisionsAmongAMillionSimulatorLikeIds() {
        Set<EventKey> keys = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            keys.add(EventKey.of("P" + (i % 8) + "-evt-" + i));
        }
        assertEquals(1_000_000, keys.size());
    }

    @Test
    void theSerializerWritesSixteenBytesAndReadsThemBack() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(32);
        EventKey k = EventKey.of("e-1");
        EventKey.Serializer.INSTANCE.serialize(k, out);
        assertEquals(16, out.length());
        assertEquals(k, EventKey.Serializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())));
    }
}
