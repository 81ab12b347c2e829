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

    /** The zones of a lake folder; a folder with none of them is not a lake. */
    public static final java.util.List<String> ZONES = java.util.List.of(LakeLayout.BRONZE, LakeLayout.SILVER, LakeLayout.GOLD,
            LakeLayout.OPS);

    /** Like {@link #at} but the lake must exist and be a lake (a folder with a zone): a one-line error otherwise. */
    public static Lake existing(String location, Configuration hadoop) {
        Lake lake = at(location);
        try {
            FileSystem fs = FileSystem.get(URI.create(lake.root), hadoop);
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(lake.root);
            if (!fs.exists(root)) {
                throw new UserError(noLake(location));
            }
            if (!fs.getFileStatus(root).isDirectory()) {
                throw new UserError(notAFolder(location));
            }
            for (String zone : ZONES) {
                if (fs.exists(new org.apache.hadoop.fs.Path(root, zone))) {
                    return lake;
                }
            }
            throw new UserError(noZones(location));
        } catch (IOException e) {
            throw new UserError("cannot read the lake at " + location + ": " + e.getMessage());
        }
    }

    /**
     * The same check for a local --lake before any engine starts (a URI such as s3a:// is checked
     * later, with the engine's file-system settings).
     */
    public static void requireLocalLake(String location) {
        if (location.contains("://") && !location.startsWith("file:")) {
            return;
        }
        Path p = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
        if (!java.nio.file.Files.exists(p)) {
            throw new UserError(noLake(location));
        }
        if (!java.nio.file.Files.isDirectory(p)) {
            throw new UserError(notAFolder(location));
        }
        if (ZONES.stream().noneMatch(z -> java.nio.file.Files.isDirectory(p.resolve(z)))) {
            throw new UserError(noZones(location));
        }
    }

    private static String noLake(String location) {
        return "no lake at " + location + " (run qlake ingest first, or check --lake)";
    }

    private static String notAFolder(String location) {
        return "--lake " + location + " is a file, not a lake folder";
    }

    private static String noZones(String location) {
        return location + " is not a lake: it has none of " + String.join("/, ", ZONES) + "/ (run qlake ingest first, or check --lake)";
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
