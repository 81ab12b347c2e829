package io.qualitylake.batch.lake;

import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One batch run per lake at a time: {@code <lake>/_batch.lock}, created atomically (create without
 * overwrite) and naming its holder. A second run fails with a one-line error naming the running one;
 * a lock left by a process on this host that no longer exists is taken over.
 */
public final class LakeLock implements AutoCloseable {
    private final FileSystem fs;
    private final Path path;

    private LakeLock(FileSystem fs, Path path) {
        this.fs = fs;
        this.path = path;
    }

    public static LakeLock acquire(Lake lake, Configuration hadoop, String what) {
        Path path = new Path(lake.root() + "/_batch.lock");
        String host = host();
        long pid = ProcessHandle.current().pid();
        String holder = "pid " + pid + " on " + host + " since " + Instant.now() + ": " + what;
        try {
            FileSystem fs = FileSystem.get(URI.create(lake.root()), hadoop);
            for (int attempt = 0; attempt < 2; attempt++) {
                try (OutputStream out = fs.create(path, false)) {
                    out.write(holder.getBytes(StandardCharsets.UTF_8));
                    return new LakeLock(fs, path);
                } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                    String other = read(fs, path);
                    if (attempt == 0 && isDeadHereHolder(other, host)) {
                        fs.delete(path, false);
                        continue;
                    }
                    throw new UserError("another qlake batch is running on this lake (" + other + "); wait for it, or delete "
                            + path + " if that process is gone");
                }
            }
            throw new UserError("could not take the lake lock " + path);
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("already exists")) {
                throw new UserError("another qlake batch is running on this lake (" + path + " exists)");
            }
            throw new UserError("cannot take the lake lock " + path + ": " + e.getMessage());
        }
    }

    private static boolean isDeadHereHolder(String holder, String host) {
        String[] w = holder.split(" ");
        if (w.length < 4 || !w[0].equals("pid") || !w[3].equals(host)) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(w[1])).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String read(FileSystem fs, Path path) throws IOException {
        try (InputStream in = fs.open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (java.io.FileNotFoundException e) {
            return "a run that just finished";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        try {
            fs.delete(path, false);
        } catch (IOException ignored) {
            // the next run sees a lock of a process that is gone, and takes it over
        }
    }
}
