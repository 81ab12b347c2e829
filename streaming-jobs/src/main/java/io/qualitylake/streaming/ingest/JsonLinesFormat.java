package io.qualitylake.streaming.ingest;

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
public final class JsonLinesFormat extends SimpleStreamFormat<RawRecord> {
    /** Longer lines are truncated to this and then rejected as TOO_LARGE by the validator. */
    static final int MAX_LINE = 2_000_000;

    /** The file's name as quarantine rows show it (one source per file, as the format gets no path). */
    private final String source;

    public JsonLinesFormat(String source) {
        this.source = source;
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream) {
        return new LineReader(stream, source);
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    /** Scans its own 64 KiB buffer for newlines (a per-byte stream read was the ingest bottleneck). */
    private static final class LineReader implements StreamFormat.Reader<RawRecord> {
        private final InputStream in;
        private final String source;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        private boolean eof;
        private final ByteArrayOutputStream spill = new ByteArrayOutputStream(512);
        private long lineNo;

        LineReader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        @Override
        public RawRecord read() throws IOException {
            while (true) {
                byte[] line = nextLine();
                if (line == null) {
                    return null;
                }
                lineNo++;
                if (!isBlank(line)) {
                    return new RawRecord(line, source, -1, lineNo);
                }
            }
        }

        /** The next line without its terminator (and a trailing \r), or null at end of input. */
        private byte[] nextLine() throws IOException {
            spill.reset();
            boolean any = false;
            while (true) {
                if (pos == limit) {
                    if (eof || !fill()) {
                        return any ? trimCr(spill.toByteArray()) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                int len = Math.min(pos - start, Math.max(0, MAX_LINE - spill.size()));
                if (pos < limit) { // found the newline
                    byte[] line;
                    if (spill.size() == 0) {
                        line = java.util.Arrays.copyOfRange(buf, start, start + len);
                    } else {
                        spill.write(buf, start, len);
                        line = spill.toByteArray();
                    }
                    pos++;
                    return trimCr(line);
                }
                spill.write(buf, start, len);
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                eof = true;
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        private static byte[] trimCr(byte[] b) {
            return b.length > 0 && b[b.length - 1] == '\r' ? java.util.Arrays.copyOf(b, b.length - 1) : b;
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
