package io.qualitylake.streaming.ingest;

import java.io.IOException;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/** Finds the newest completed checkpoint under a checkpoint directory (&lt;dir&gt;/&lt;job-id&gt;/chk-N/_metadata), on any file system. */
public final class Checkpoints {
    private Checkpoints() {}

    public static Optional<String> latest(String checkpointDir) throws IOException {
        Path root = new Path(checkpointDir);
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root)) {
            return Optional.empty();
        }
        String best = null;
        long bestTime = Long.MIN_VALUE;
        long bestNumber = Long.MIN_VALUE;
        for (FileStatus job : list(fs, root)) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus chk : list(fs, job.getPath())) {
                long n = number(chk.getPath().getName());
                // newest by time across jobs; within one time stamp (coarse clocks), the higher checkpoint number
                boolean newer = chk.getModificationTime() > bestTime || chk.getModificationTime() == bestTime && n > bestNumber;
                if (chk.isDir() && n >= 0 && newer && fs.exists(new Path(chk.getPath(), "_metadata"))) {
                    bestTime = chk.getModificationTime();
                    bestNumber = n;
                    best = chk.getPath().toString();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** N of a chk-N folder; -1 for any other name. */
    private static long number(String name) {
        if (!name.startsWith("chk-")) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(4));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static FileStatus[] list(FileSystem fs, Path p) throws IOException {
        FileStatus[] s = fs.listStatus(p);
        return s == null ? new FileStatus[0] : s;
    }
}
