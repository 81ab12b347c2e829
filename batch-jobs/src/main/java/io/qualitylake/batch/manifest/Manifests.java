package io.qualitylake.batch.manifest;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Delta symlink-format manifests for gold tables, so engines that do not speak Delta (Trino, Presto, Athena,
 * Hive, Redshift Spectrum) read the current rows only: {@code <table>/_symlink_format_manifest/} holds, per
 * {@code period_month=…} partition of a partitioned table (or at its root), one file listing the Parquet files
 * of the latest Delta version. Generated in full each time, so files a run replaced, and partitions it
 * removed, drop out of the manifest. See docs/bi.md.
 */
public final class Manifests {
    /** The folder Delta writes the manifest to, inside each table. */
    public static final String DIR = "_symlink_format_manifest";

    private Manifests() {}

    /** Regenerates the manifests of the given tables ("gold.quality_kpis", …); other zones are skipped. */
    public static List<String> update(SparkSession spark, Lake lake, Collection<String> tables) {
        List<String> done = new ArrayList<>();
        for (String t : tables) {
            if (t.startsWith("gold.")) {
                String path = lake.gold(t.substring("gold.".length()));
                if (Tables.exists(spark, path)) {
                    io.delta.tables.DeltaTable.forPath(spark, path).generate("symlink_format_manifest");
                    done.add(t);
                }
            }
        }
        return done;
    }

    /** Every Delta table of the gold zone, as "gold.name". */
    public static List<String> goldTables(SparkSession spark, Lake lake) throws IOException {
        String dir = lake.root() + "/gold";
        FileSystem fs = FileSystem.get(URI.create(dir), spark.sparkContext().hadoopConfiguration());
        List<String> names = new ArrayList<>();
        if (!fs.exists(new Path(dir))) {
            return names;
        }
        for (FileStatus s : fs.listStatus(new Path(dir))) {
            String n = s.getPath().getName();
            if (s.isDirectory() && !n.startsWith("_") && !n.startsWith(".") && Tables.exists(spark, dir + "/" + n)) {
                names.add("gold." + n);
            }
        }
        names.sort(String::compareTo);
        return names;
    }
}
