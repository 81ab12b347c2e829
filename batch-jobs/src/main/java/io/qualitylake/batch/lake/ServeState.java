package io.qualitylake.batch.lake;

import io.qualitylake.cli.BackgroundProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a lake's {@code qlake serve} keeps its pid, address ("host:port"), readiness mark and log: the hidden
 * folder {@value #DIR_NAME} of a local lake (so {@code qlake sql --lake DIR} finds a running server), or
 * {@code .qlake/serve} for a lake behind a URI.
 */
public final class ServeState {
    public static final String DIR_NAME = ".qlake-serve";
    public static final String READY_FILE = "server.ready";
    public static final String LOG_FILE = "server.log";
    private static final String ROLE_MARKER = "-Dqlake.role=lake-server";

    private final Path dir;
    private final BackgroundProcess process;

    private ServeState(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.process = new BackgroundProcess(this.dir, "server.pid", "server.address", ROLE_MARKER);
    }

    public static ServeState of(String lake) {
        if (lake.contains("://") && !lake.startsWith("file:")) {
            return new ServeState(Path.of(".qlake", "serve"));
        }
        Path root = lake.startsWith("file:") ? Path.of(java.net.URI.create(lake)) : Path.of(lake);
        return new ServeState(root.resolve(DIR_NAME));
    }

    public Path dir() {
        return dir;
    }

    public BackgroundProcess process() {
        return process;
    }

    public Path log() {
        return dir.resolve(LOG_FILE);
    }

    public boolean ready() {
        return Files.exists(dir.resolve(READY_FILE));
    }

    /** "host:port" of this lake's server when one runs and has finished starting. */
    public Optional<String> runningAddress() {
        return process.running().isPresent() && ready() ? process.address() : Optional.empty();
    }
}
