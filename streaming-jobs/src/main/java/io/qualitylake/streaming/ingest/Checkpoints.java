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
        for (FileStatus job : list(fs, root)) {
            if (!job.isDir()) {
                continue;
            }
            for (FileStatus chk : list(fs, job.getPath())) {
                if (chk.isDir() && chk.getPath().getName().startsWith("chk-")
                        && fs.exists(new Path(chk.getPath(), "_metadata")) && chk.getModificationTime() >= bestTime) {
                    bestTime = chk.getModificationTime();
                    best = chk.getPath().toString();
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static FileStatus[] list(FileSystem fs, Path p) throws IOException {
        FileStatus[] s = fs.listStatus(p);
        return s == null ? new FileStatus[0] : s;
    }
}
