package io.qualitylake.streaming.ingest;

/**
 * One record as read, before parsing: the bytes plus where they came from (a Flink POJO).
 * {@code partition} is -1 for files, where {@code offset} is the 1-based line number.
 */
public class RawRecord {
    public byte[] value;
    public String source;
    public int partition;
    public long offset;

    public RawRecord() {}

    public RawRecord(byte[] value, String source, int partition, long offset) {
        this.value = value;
        this.source = source;
        this.partition = partition;
        this.offset = offset;
    }
}
