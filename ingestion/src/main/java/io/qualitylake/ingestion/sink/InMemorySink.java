package io.qualitylake.ingestion.sink;

import io.qualitylake.schemas.Topic;
import java.util.ArrayList;
import java.util.List;

/** Keeps every record in memory, in emission order: for tests and small in-process pipelines. */
public final class InMemorySink implements EventSink {
    private final List<byte[]> records = new ArrayList<>();

    @Override
    public void send(Topic topic, String key, byte[] value) {
        records.add(value);
    }

    public List<byte[]> records() {
        return records;
    }

    @Override
    public void close() {}
}
