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

    static java.util.List<Path> committed(String dir) throws IOException {
        Path root = new Path(dir);
        FileSystem fs = root.getFileSystem(new Configuration());
        java.util.List<Path> out = new java.util.ArrayList<>();
        if (!fs.exists(root)) {
            return out;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            String n = p.getName();
            if (!n.startsWith(".") && !n.startsWith("_") && n.endsWith(".parquet")) {
                out.add(p);
            }
        }
        return out;
    }
}
