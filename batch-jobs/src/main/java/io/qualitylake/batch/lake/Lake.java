package io.qualitylake.batch.lake;

import io.qualitylake.cli.UserError;
import io.qualitylake.schemas.LakeLayout;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A lake root (local folder or any Hadoop file-system URI) and the paths of its tables (SPEC §3).
 */
public final class Lake {
    private final String root;

    private Lake(String root) {
        this.root = root;
    }

    /** Accepts a local path or a URI; does not require the folder to exist. */
    public static Lake at(String location) {
        String uri = location.contains("://") ? location : Path.of(location).toAbsolutePath().normalize().toUri().toString();
        return new Lake(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
    }

    /** Like {@link #at} but the lake must exist: a one-line error otherwise. */
    public static Lake existing(String location, Configuration hadoop) {
        Lake lake = at(location);
        if (!lake.exists(hadoop, "")) {
            throw new UserError("no lake at " + location + " (run qlake ingest first, or check --lake)");
        }
        return lake;
    }

    public String root() {
        return root;
    }

    public String bronze(String table) {
        return root + "/" + LakeLayout.BRONZE + "/" + table;
    }

    public String silver(String table) {
        return root + "/" + LakeLayout.SILVER + "/" + table;
    }

    public String gold(String table) {
        return root + "/" + LakeLayout.GOLD + "/" + table;
    }

    public String ops(String table) {
        return root + "/" + LakeLayout.OPS + "/" + table;
    }

    public String checkpoint(String name) {
        return root + "/_checkpoints/" + name;
    }

    public boolean exists(Configuration hadoop, String relative) {
        String p = relative.isEmpty() ? root : root + "/" + relative;
        try {
            FileSystem fs = FileSystem.get(URI.create(p), hadoop);
            return fs.exists(new org.apache.hadoop.fs.Path(p));
        } catch (IOException e) {
            return false;
        }
    }

    /** True when the path holds a Delta table. */
    public static boolean isDelta(Configuration hadoop, String path) {
        try {
            FileSystem fs = FileSystem.get(URI.create(path), hadoop);
            return fs.exists(new org.apache.hadoop.fs.Path(path + "/_delta_log"));
        } catch (IOException e) {
            return false;
        }
    }
}
