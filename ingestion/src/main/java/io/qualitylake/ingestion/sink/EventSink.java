package io.qualitylake.ingestion.sink;

import io.qualitylake.schemas.Topic;

/** Where generated records go: a JSONL file or Kafka. Values are the exact bytes of one record. */
public interface EventSink extends AutoCloseable {
    void send(Topic topic, String key, byte[] value);

    @Override
    void close();
}
