package io.qualitylake.streaming.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qualitylake.schemas.LakeLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * Writes one JSON object per ingest run to {@code <lake>/ops/ingest_stats/} (any file system), where
 * batch jobs, {@code qlake sql} (table {@code ops.ingest_stats}) and the report read it.
 */
final class IngestStats {
    private IngestStats() {}

    static String write(IngestOptions o, IngestReport r, Instant started, Instant finished) throws IOException {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("run_id", started.toEpochMilli() + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
        n.put("started", started.toString());
        n.put("finished", finished.toString());
        n.put("mode", o.fileMode() ? "file" : "kafka");
        n.put("sources", o.fileMode() ? String.join(",", o.files()) : o.kafka().getProperty("bootstrap.servers"));
        n.put("records_read", r.read());
        n.put("valid_written", r.written());
        n.put("quarantined", r.quarantined());
        n.put("duplicates_dropped", r.duplicates());
        n.put("late_events", r.late());
        ObjectNode reasons = n.putObject("quarantined_by_reason");
        r.quarantinedByReason().forEach(reasons::put);
        n.put("runtime_ms", r.runtimeMillis());
        n.put("reconciles", r.reconciles());
        Path file = new Path(o.lake() + "/" + LakeLayout.ingestStats() + "/" + n.get("run_id").asText() + ".json");
        FileSystem fs = file.getFileSystem();
        try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write((n.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return file.toString();
    }
}
