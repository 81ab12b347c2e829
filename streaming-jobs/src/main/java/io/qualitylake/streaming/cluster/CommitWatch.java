package io.qualitylake.streaming.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Watches a lake's gold folder (file: or hdfs:) for a Delta commit in progress: a gold table whose data files grew
 * (Delta's writer puts {@code part-*.parquet} straight into the table folder) while its {@code _delta_log} holds no
 * commit for them yet: the window between the executors' writes and the driver's {@code _delta_log/000…N.json}.
 * A driver killed then leaves data files that no commit refers to.
 */
final class CommitWatch {
    /** A gold table seen in the window: its name, how many data files it held, how many gold tables had a commit. */
    record Window(String table, int dataFiles, int goldCommits) {}

    private final Path gold;
    private final FileSystem fs;
    /** Per table: commits seen, data files at the time that commit count was first seen. */
    private final Map<String, long[]> state = new HashMap<>();

    CommitWatch(String lake) throws IOException {
        this.gold = new Path(lake + "/gold");
        this.fs = gold.getFileSystem(new Configuration());
    }

    /** Gold tables with at least one committed version. */
    int committedTables() {
        int n = 0;
        for (Path t : tables()) {
            n += commits(t) > 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * A gold table whose data files grew since its latest commit appeared (its next version is being written and not
     * committed yet), if one is in that state now. Call it often: it remembers each table's file count per commit.
     */
    Optional<Window> openCommit() {
        int committed = 0;
        Window open = null;
        for (Path t : tables()) {
            long c = commits(t);
            int files = dataFiles(t);
            long[] seen = state.get(t.getName());
            if (seen == null || seen[0] != c) {
                // a new commit (or a new table): its files are committed, unless none is committed yet
                seen = new long[] {c, c == 0 ? 0 : files};
                state.put(t.getName(), seen);
            }
            if (files > seen[1] && open == null) {
                open = new Window(t.getName(), files, 0);
            } else if (c > 0) {
                committed++;
            }
        }
        return open == null ? Optional.empty() : Optional.of(new Window(open.table(), open.dataFiles(), committed));
    }

    /** Whether the table still has as many commits as when its window was seen (the kill beat the commit). */
    boolean stillOpen(Window w) {
        long[] seen = state.get(w.table());
        return seen != null && commits(new Path(gold, w.table())) == seen[0];
    }

    private List<Path> tables() {
        List<Path> out = new ArrayList<>();
        try {
            if (!fs.exists(gold)) {
                return out;
            }
            for (FileStatus s : fs.listStatus(gold)) {
                if (s.isDirectory()) {
                    out.add(s.getPath());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a folder changing under us: look again next time
        }
        out.sort(null);
        return out;
    }

    private long commits(Path table) {
        try {
            Path log = new Path(table, "_delta_log");
            if (!fs.exists(log)) {
                return 0;
            }
            long n = 0;
            for (FileStatus s : fs.listStatus(log)) {
                n += s.getPath().getName().matches("\\d{20}\\.json") ? 1 : 0;
            }
            return n;
        } catch (IOException | RuntimeException e) {
            return 0; // the log changing under us: the next poll counts again
        }
    }

    /**
     * Data files under the table folder and its partition folders; {@code _delta_log} and hidden folders are not walked.
     * The walk uses {@code listStatus} only: {@code listFiles} wraps each entry in a {@code LocatedFileStatus}, whose
     * constructor asks the local file system for the file's permissions ({@code ls -ld}), and that throws an unchecked
     * exception for a Delta {@code .crc} temp file renamed in between (the race that failed this round's first CI run).
     */
    private int dataFiles(Path table) {
        int n = 0;
        try {
            for (FileStatus s : fs.listStatus(table)) {
                String name = s.getPath().getName();
                if (name.startsWith("_") || name.startsWith(".")) {
                    continue;
                }
                if (s.isDirectory()) {
                    n += dataFiles(s.getPath());
                } else if (name.endsWith(".parquet")) {
                    n++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // a folder changing under us (a partition folder or a file gone between list and look): count again next poll
            return n;
        }
        return n;
    }
}
