package io.qualitylake.batch.serve;

import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The users of {@code qlake serve --auth password}: one {@code name=sha256:HEX} a line (HEX = the SHA-256 of
 * the UTF-8 password, e.g. {@code printf %s 'secret' | sha256sum}); {@code name=plain:PASSWORD} is accepted
 * for a quick local setup. Blank lines and lines starting with {@code #} are skipped. A bad line is a
 * one-line error naming its line number, never its content (it may hold a password).
 */
public final class UsersFile {
    private final Map<String, byte[]> sha256ByUser;

    private UsersFile(Map<String, byte[]> sha256ByUser) {
        this.sha256ByUser = sha256ByUser;
    }

    public static UsersFile load(Path file) {
        if (file == null) {
            throw new UserError("--auth password needs --users FILE");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new UserError("cannot read the users file " + file);
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.getFileName().toString());
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UserError("cannot read the users file " + file);
        }
    }

    static UsersFile parse(List<String> lines, String name) {
        Map<String, byte[]> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String user = eq < 0 ? "" : line.substring(0, eq).strip();
            String secret = eq < 0 ? "" : line.substring(eq + 1).strip();
            if (user.isEmpty() || !user.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new UserError(name + ":" + (i + 1) + ": expected name=sha256:HEX or name=plain:PASSWORD");
            }
            byte[] hash;
            if (secret.startsWith("sha256:") && secret.substring(7).matches("[0-9a-fA-F]{64}")) {
                hash = HexFormat.of().parseHex(secret.substring(7).toLowerCase(java.util.Locale.ROOT));
            } else if (secret.startsWith("plain:") && secret.length() > 6) {
                hash = sha256(secret.substring(6));
            } else {
                throw new UserError(name + ":" + (i + 1) + ": the password of user '" + user
                        + "' must be sha256:<64 hex digits> or plain:<password>");
            }
            users.put(user, hash);
        }
        if (users.isEmpty()) {
            throw new UserError(name + " lists no users (name=sha256:HEX a line)");
        }
        return new UsersFile(users);
    }

    /** Whether user and password match a line of the file (constant-time comparison of the hashes). */
    public boolean accepts(String user, String password) {
        byte[] expected = user == null ? null : sha256ByUser.get(user);
        byte[] given = sha256(password == null ? "" : password);
        return expected != null && MessageDigest.isEqual(expected, given);
    }

    public int size() {
        return sha256ByUser.size();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
