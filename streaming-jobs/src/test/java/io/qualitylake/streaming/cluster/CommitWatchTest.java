package io.qualitylake.streaming.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CommitWatch on hand-built gold folders laid out as Delta writes them (data files straight into the table folder,
 * partition folders included; {@code _delta_log/<20 digits>.json} per commit), and the fault test's small parsers on
 * hand-written log lines.
 */
class CommitWatchTest {
    @TempDir
    Path lake;

    private void touch(String rel) throws Exception {
        Path f = lake.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, "x");
    }

    private CommitWatch watch() throws Exception {
        return new CommitWatch(lake.toUri().toString().replaceAll("/$", ""));
    }

    @Test
    void aFirstVersionWithDataAndNoCommitIsOpen() throws Exception {
        CommitWatch w = watch();
        assertEquals(Optional.empty(), w.openCommit(), "no gold folder yet");
        touch("gold/a/_delta_log/00000000000000000000.json");
        touch("gold/a/part-00000-x.snappy.parquet");
        assertEquals(Optional.empty(), w.openCommit(), "a committed table");
        touch("gold/b/period_month=2026-01/part-00000-y.snappy.parquet");
        touch("gold/b/period_month=2026-01/.part-00000-y.snappy.parquet.crc");
        Optional<CommitWatch.Window> open = w.openCommit();
        assertTrue(open.isPresent());
        assertEquals(new CommitWatch.Window("b", 1, 1), open.get(), "b: one data file (the .crc is not one), a committed before");
        assertTrue(w.stillOpen(open.get()));
        touch("gold/b/_delta_log/00000000000000000000.json");
        assertFalse(w.stillOpen(open.get()), "the commit landed");
        assertEquals(Optional.empty(), w.openCommit());
        assertEquals(2, w.committedTables());
    }

    @Test
    void aNextVersionIsOpenOnceItsFilesGrowPastTheLatestCommit() throws Exception {
        touch("gold/a/_delta_log/00000000000000000000.json");
        touch("gold/a/part-0.parquet");
        CommitWatch w = watch();
        assertEquals(Optional.empty(), w.openCommit(), "version 0 and its file");
        touch("gold/a/_delta_log/00000000000000000000.checkpoint.parquet"); // not a data file, not a commit
        assertEquals(Optional.empty(), w.openCommit());
        touch("gold/a/part-1.parquet");
        assertEquals(Optional.of(new CommitWatch.Window("a", 2, 0)), w.openCommit(), "version 1 written, not committed");
        touch("gold/a/_delta_log/00000000000000000001.json");
        assertEquals(Optional.empty(), w.openCommit());
    }

    /**
     * Delta writes each {@code .crc} through a temp file it renames; a poll that asks the local file system for such a
     * file's permissions after the rename got an unchecked "cannot access" from {@code ls} and ended the fault round
     * (the first CI run of the Spark round). Here a thread renames temp files in the log as fast as it can while the
     * watch polls: no poll may throw, and every poll must still see the one uncommitted data file.
     */
    @Test
    void pollingSurvivesTempFilesRenamedInTheLog() throws Exception {
        touch("gold/a/_delta_log/00000000000000000000.json");
        touch("gold/a/part-0.parquet");
        CommitWatch w = watch();
        assertEquals(Optional.empty(), w.openCommit());
        touch("gold/a/part-1.parquet");
        Path log = lake.resolve("gold/a/_delta_log");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                try {
                    Path tmp = log.resolve(".00000000000000000001.crc." + i + ".tmp");
                    Files.writeString(tmp, "x");
                    Files.move(tmp, log.resolve("00000000000000000001.crc"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (Exception e) {
                    return;
                }
            }
        });
        churn.start();
        try {
            long end = System.nanoTime() + 2_000_000_000L;
            int polls = 0;
            while (System.nanoTime() < end) {
                assertEquals(Optional.of(new CommitWatch.Window("a", 2, 0)), w.openCommit(), "poll " + polls);
                polls++;
            }
            assertTrue(polls > 10, "polls: " + polls);
        } finally {
            stop.set(true);
            churn.join();
        }
    }

    @Test
    void faultKindsAreCountedByLabel() {
        assertEquals("taskmanager-kill 2, executor-kill 1, driver-kill 1", FaultTestCommand.byKind(List.of(
                "taskmanager-kill:flink-taskmanager-1", "taskmanager-kill:flink-taskmanager-2", "executor-kill:pid 12@40s",
                "driver-kill@95s:mid-commit gold.x")));
    }

    @Test
    void jobTimesAndRecoveryComeFromTheDriverLog() throws Exception {
        Path log = lake.resolve("run.log");
        Files.write(log, List.of("qlake batch silver: running ...", "batch silver: done in 60.4 s; rows written x 1",
                "12:00:01.000 ERROR TaskSchedulerImpl - Lost executor 1 on 127.0.0.1: Command exited with code 137",
                "12:00:01.100 WARN  TaskSetManager - Lost task 0.0 in stage 3.0 (TID 7) (127.0.0.1 executor 1): ExecutorLostFailure",
                "12:00:02.000 INFO  StandaloneSchedulerBackend - Granted executor ID app-1/2 on hostPort 127.0.0.1:1 with 1 core(s)",
                "batch quality: done in 20.0 s; rows written y 2"));
        // 100 s in all: 60.4 + 20.0 in the jobs, 19.6 before and after them
        assertEquals("silver 60, quality 20, start-up+stop 20 s", SparkRound.jobTimes(log, 100.0));
        assertEquals("executors lost 1, added 1, tasks lost 1, stages resubmitted 0", SparkRound.recovery(log));
    }
}
