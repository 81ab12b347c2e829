package io.qualitylake.streaming.ingest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * JSONL files as {@link RawRecord}s with their 1-based line numbers (blank lines are skipped but
 * counted). Not splittable, so line numbers are exact; on restore Flink re-reads and skips the
 * records already emitted, through this reader, so numbering stays right.
 */
final class JsonLinesFormat extends SimpleStreamFormat<RawRecord> {
    /** Longer lines are truncated to this and then rejected as TOO_LARGE by the validator. */
    static final int MAX_LINE = 2_000_000;

    /** The file's name as quarantine rows show it (one source per file, as the format gets no path). */
    private final String source;

    JsonLinesFormat(String source) {
        this.source = source;
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return reader(stream, source);
    }

    static StreamFormat.Reader<RawRecord> reader(InputStream in, String source) {
        return new LineReader(new BufferedInputStream(in, 1 << 16), source);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String source;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private long lineNo;

        LineReader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        @Override
        public RawRecord read() throws IOException {
            while (true) {
                line.reset();
                int b;
                boolean any = false;
                while ((b = in.read()) != -1) {
                    any = true;
                    if (b == '\n') {
                        break;
                    }
                    if (line.size() < MAX_LINE) {
                        line.write(b);
                    }
                }
                if (!any) {
                    return null;
                }
                lineNo++;
                byte[] bytes = line.toByteArray();
                int len = bytes.length;
                if (len > 0 && bytes[len - 1] == '\r') {
                    bytes = java.util.Arrays.copyOf(bytes, len - 1);
                }
                if (isBlank(bytes)) {
                    continue;
                }
                return new RawRecord(bytes, source, -1, lineNo);
            }
        }

        private static boolean isBlank(byte[] b) {
            for (byte x : b) {
                if (x != ' ' && x != '\t') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
