package io.qualitylake.ingestion.sink;

import io.qualitylake.schemas.Topic;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One record per line, in emission order. Records never contain a raw newline (JSON escapes them). */
public final class JsonlSink implements EventSink {
    private final OutputStream out;

    public JsonlSink(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    }

    @Override
    public void send(Topic topic, String key, byte[] value) {
        try {
            out.write(value);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
