package io.qualitylake.batch.lake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two batch runs on one lake: the second fails at once with a one-line error naming the first. */
class LakeLockTest {
    @TempDir
    Path lake;

    @Test
    void aSecondRunIsRefusedWithTheHolderNamed() {
        Lake l = Lake.at(lake.toString());
        try (LakeLock first = LakeLock.acquire(l, new Configuration(), "qlake batch all")) {
            UserError e = assertThrows(UserError.class, () -> LakeLock.acquire(l, new Configuration(), "qlake batch quality"));
            assertTrue(e.getMessage().startsWith("another qlake batch is running on this lake (pid " + ProcessHandle.current().pid()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("qlake batch all"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        // released: the next run takes it
        LakeLock.acquire(l, new Configuration(), "qlake batch all").close();
        assertFalse(Files.exists(lake.resolve("_batch.lock")));
    }

    @Test
    void aLockLeftByADeadProcessOnThisHostIsTakenOver() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(lake.resolve("_batch.lock"), "pid " + gone.pid() + " on " + host + " since 2026-01-01T00:00:00Z: qlake batch all");
        try (LakeLock taken = LakeLock.acquire(Lake.at(lake.toString()), new Configuration(), "qlake batch all")) {
            assertTrue(Files.readString(lake.resolve("_batch.lock")).startsWith("pid " + ProcessHandle.current().pid()));
        }
    }

    @Test
    void aLockHeldOnAnotherHostIsRespected() throws Exception {
        Files.writeString(lake.resolve("_batch.lock"), "pid 1 on some-other-host since 2026-01-01T00:00:00Z: qlake batch all");
        assertThrows(UserError.class, () -> LakeLock.acquire(Lake.at(lake.toString()), new Configuration(), "qlake batch all"));
    }
}
