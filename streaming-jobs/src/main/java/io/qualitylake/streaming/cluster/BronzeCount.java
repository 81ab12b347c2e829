package io.qualitylake.streaming.cluster;

import io.qualitylake.schemas.LakeLayout;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * What a lake reader sees in bronze: committed Parquet files only (names starting with '.' or '_' are in
 * progress or metadata), on any Hadoop file system (file:, hdfs:). Counts each event_id's rows.
 */
record BronzeCount(Map<String, Integer> rowsById, long eventRows, long quarantineRows) {
    static BronzeCount read(String lake) throws IOException {
        Map<String, Integer> ids = new HashMap<>();
        long rows = 0;
        for (String table : new String[] {"production", "field"}) {
            for (Path f : committed(lake + "/" + LakeLayout.BRONZE + "/" + table)) {
                try (ParquetReader<GenericRecord> r = reader(f)) {
                    for (GenericRecord rec; (rec = r.read()) != null; rows++) {
                        ids.merge(rec.get("event_id").toString(), 1, Integer::sum);
                    }
                }
            }
        }
        long quarantine = 0;
        for (Path f : committed(lake + "/" + LakeLayout.BRONZE + "/quarantine")) {
            try (ParquetReader<GenericRecord> r = reader(f)) {
                while (r.read() != null) {
                    quarantine++;
                }
            }
        }
        return new BronzeCount(ids, rows, quarantine);
    }

    /** Rows beyond the first of each event_id. */
    long duplicated() {
        return eventRows - rowsById.size();
    }

    private static ParquetReader<GenericRecord> reader(Path f) throws IOException {
        return AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(f, new Configuration())).build();
    }

    /**
     * Committed files under DIR. In-progress files appear and vanish while the job runs, which a listing may
     * trip over (Hadoop's local file system even shells out to ls for each file): then list again.
     */
    static java.util.List<Path> committed(String dir) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return list(dir);
            } catch (IOException | RuntimeException e) {
                if (attempt >= 10) {
                    throw e;
                }
                io.qualitylake.cli.BackgroundProcess.sleepQuietly(200);
            }
        }
    }

    private static java.util.List<Path> list(String dir) throws IOException {
        java.util.List<Path> out = new java.util.ArrayList<>();
        if (dir.startsWith("file:")) {
            java.nio.file.Path root = java.nio.file.Path.of(java.net.URI.create(dir));
            if (!java.nio.file.Files.exists(root)) {
                return out;
            }
            try (var s = java.nio.file.Files.walk(root)) {
                s.filter(p -> committedName(p.getFileName().toString()) && java.nio.file.Files.isRegularFile(p))
                        .forEach(p -> out.add(new Path(p.toUri())));
            }
            return out;
        }
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(new Configuration());
        if (!fs.exists(root)) {
            return out;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (committedName(p.getName())) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean committedName(String n) {
        return !n.startsWith(".") && !n.startsWith("_") && n.endsWith(".parquet");
    }
}
