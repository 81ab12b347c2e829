package io.qualitylake.grading;

import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a grading configuration file (rubric, levels): a user's file, or the default shipped in the jar. */
public final class GradingFiles {
    private GradingFiles() {}

    /** The text and how to name it in errors. */
    public record Text(String json, String source) {}

    /**
     * @param path     the user's file, or null for the shipped default
     * @param resource classpath resource of the default
     * @param noun     what it is, for messages ("rubric file")
     */
    public static Text read(String path, String resource, String noun) {
        if (path == null) {
            try (InputStream in = GradingFiles.class.getResourceAsStream(resource)) {
                return new Text(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the default " + noun);
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("the shipped " + noun + " " + resource + " is missing from the jar", e);
            }
        }
        try {
            return new Text(Files.readString(Path.of(path)), path);
        } catch (NoSuchFileException e) {
            throw new UserError(noun + " not found: " + path);
        } catch (IOException e) {
            throw new UserError("cannot read " + noun + " " + path + ": " + e.getMessage());
        }
    }

    /** A file option as a run fingerprint: "default", or the path and a digest of its content (an edited file counts as changed). */
    public static String digest(String path) {
        if (path == null) {
            return "default";
        }
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(Path.of(path)));
            return path + "#" + java.util.HexFormat.of().formatHex(sha, 0, 8);
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return path + "#unreadable";
        }
    }
}
