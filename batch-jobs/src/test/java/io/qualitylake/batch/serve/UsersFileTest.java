package io.qualitylake.batch.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.UserError;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The users file of qlake serve --auth password: hashes, plain entries, and errors that never echo a secret. */
class UsersFileTest {
    /** SHA-256("password"), the published test vector (e.g. `printf %s password | sha256sum`). */
    static final String SHA256_OF_PASSWORD = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

    @Test
    void acceptsTheRightPasswordForEachUserOnly() {
        UsersFile u = UsersFile.parse(List.of("# readers", "", "ana=sha256:" + SHA256_OF_PASSWORD, " bo = plain:x y z "), "users");
        assertEquals(2, u.size());
        assertTrue(u.accepts("ana", "password"));
        assertFalse(u.accepts("ana", "Password"));
        assertTrue(u.accepts("bo", "x y z"));
        assertFalse(u.accepts("bo", "password"));
        assertFalse(u.accepts("carl", "password"));
        assertFalse(u.accepts(null, null));
    }

    @Test
    void aBadLineNamesItsNumberButNotItsSecret() {
        UserError e = assertThrows(UserError.class, () -> UsersFile.parse(List.of("ana=sha256:" + SHA256_OF_PASSWORD,
                "bo=hunter2"), "users"));
        assertEquals("users:2: the password of user 'bo' must be sha256:<64 hex digits> or plain:<password>", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertThrows(UserError.class, () -> UsersFile.parse(List.of("no equals sign"), "users"));
        assertThrows(UserError.class, () -> UsersFile.parse(List.of("ana=sha256:abc"), "users"));
        assertEquals("users lists no users (name=sha256:HEX a line)",
                assertThrows(UserError.class, () -> UsersFile.parse(List.of("# none"), "users")).getMessage());
    }

    @Test
    void aMissingFileIsOneLine() {
        assertEquals("cannot read the users file /no/such/users",
                assertThrows(UserError.class, () -> UsersFile.load(Path.of("/no/such/users"))).getMessage());
        assertEquals("--auth password needs --users FILE", assertThrows(UserError.class, () -> UsersFile.load(null)).getMessage());
    }
}
