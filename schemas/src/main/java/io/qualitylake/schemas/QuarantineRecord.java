package io.qualitylake.schemas;

import java.time.Instant;

/**
 * One rejected record, as written to {@code bronze/quarantine} and topic {@code qlake.quarantine.v1}.
 *
 * @param raw             the record as read (UTF-8 text; invalid bytes replaced)
 * @param source          topic name or file path
 * @param sourcePartition Kafka partition, or -1 for files
 * @param sourceOffset    Kafka offset, or 1-based line number for files
 */
public record QuarantineRecord(String raw, String source, int sourcePartition, long sourceOffset,
                               Reason reason, String message, Instant ingestTime) {}
