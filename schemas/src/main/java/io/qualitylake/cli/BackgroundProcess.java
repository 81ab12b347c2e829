package io.qualitylake.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A long-running helper JVM that a command starts and a later command stops (the local Kafka broker,
 * {@code qlake serve}): its pid and address live in files of a state folder, its command line carries a
 * role marker so a reused pid of another program is never taken for it, and it runs in its own session so
 * Ctrl-C in the starting shell does not reach it.
 */
public final class BackgroundProcess {
    private final Path dir;
    private final String pidFile;
    private final String addressFile;
    private final String roleMarker;

    /**
     * @param roleMarker a {@code -Dqlake.role=…} option, put first on the child's command line (the OS reports
     *                   only the first 4 KiB of a command line, and classpaths are longer)
     */
    public BackgroundProcess(Path dir, String pidFile, String addressFile, String roleMarker) {
        this.dir = dir.toAbsolutePath().normalize();
        this.pidFile = pidFile;
        this.addressFile = addressFile;
        this.roleMarker = roleMarker;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Starts {@code java <roleMarker> <jvmAndMain…>} from this JVM's java and classpath-free arguments, output
     * appended to {@code log}, and records its pid and {@code address}.
     */
    public Process start(List<String> jvmAndMain, Path log, String address) {
        return start(jvmAndMain, log, address, java.util.Map.of());
    }

    /** As {@link #start(List, Path, String)}, with these variables added to the child's environment. */
    public Process start(List<String> jvmAndMain, Path log, String address, java.util.Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // own session: Ctrl-C in the starting shell does not reach it
        }
        cmd.add(javaBin());
        cmd.add(roleMarker);
        cmd.addAll(jvmAndMain);
        try {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            Files.writeString(dir.resolve(pidFile), Long.toString(p.pid()));
            Files.writeString(dir.resolve(addressFile), address);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process started for this folder, if any (a stale pid of another program is ignored). */
    public Optional<ProcessHandle> running() {
        Path file = dir.resolve(pidFile);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> h.info().commandLine()
                    .map(c -> c.contains(roleMarker)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The address recorded at start ("host:port" or a port), if any. */
    public Optional<String> address() {
        try {
            return Optional.of(Files.readString(dir.resolve(addressFile)).trim()).filter(s -> !s.isEmpty());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Stops the process and its children (SIGTERM, then SIGKILL after the grace period). True if one was running. */
    public boolean stop(java.time.Duration grace) {
        Optional<ProcessHandle> running = running();
        try {
            Files.deleteIfExists(dir.resolve(pidFile));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (running.isEmpty()) {
            return false;
        }
        ProcessHandle h = running.get();
        List<ProcessHandle> tree = new ArrayList<>(h.descendants().toList());
        tree.add(h);
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle ph : tree) {
            try {
                ph.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception timeout) {
                ph.destroyForcibly();
            }
        }
        return true;
    }

    /** A one-line {@link UserError} unless {@code host:port} is free to bind. */
    public static void requireFree(String host, int port, String what) {
        if (port < 1 || port > 65534) {
            throw new UserError("port " + port + " is out of range (1-65534)");
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UserError("port " + port + " (" + what + ") is already in use on " + host + "; choose another with --port");
        }
    }

    /** Whether something accepts TCP connections at host:port. */
    public static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
