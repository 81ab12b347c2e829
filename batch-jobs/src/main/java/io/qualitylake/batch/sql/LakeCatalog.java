package io.qualitylake.batch.sql;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.lake.Tables;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Registers every table of a lake under its SPEC §3 name in the session catalog:
 * bronze.production|field|quarantine|alerts (Parquet, partitions discovered, hidden in-progress files
 * skipped), silver.* and gold.* (Delta), ops.job_runs (Delta) and ops.ingest_stats (JSON).
 */
public final class LakeCatalog {
    private LakeCatalog() {}

    public record Registered(String name, String format, String path) {}

    public static List<Registered> register(SparkSession spark, Lake lake) throws Exception {
        List<Registered> out = new ArrayList<>();
        for (String db : List.of("bronze", "silver", "gold", "ops")) {
            spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
        }
        for (String t : List.of("production", "field", "quarantine", "alerts")) {
            String path = lake.bronze(t);
            if (hasFiles(spark, path)) {
                register(spark, out, "bronze." + t, "parquet", path);
                boolean partitioned = spark.catalog().listColumns("bronze." + t).collectAsList().stream()
                        .anyMatch(org.apache.spark.sql.catalog.Column::isPartition);
                if (partitioned) { // catalog-managed partitions must be discovered once
                    spark.sql("ALTER TABLE bronze." + t + " RECOVER PARTITIONS");
                }
            }
        }
        for (String zone : List.of("silver", "gold")) {
            for (String name : subfolders(spark, lake.root() + "/" + zone)) {
                String path = lake.root() + "/" + zone + "/" + name;
                if (Tables.exists(spark, path)) {
                    register(spark, out, zone + "." + name, "delta", path);
                }
            }
        }
        if (Tables.exists(spark, lake.ops("job_runs"))) {
            register(spark, out, "ops.job_runs", "delta", lake.ops("job_runs"));
        }
        String stats = lake.root() + "/" + io.qualitylake.schemas.LakeLayout.ingestStats();
        if (hasFiles(spark, stats)) {
            register(spark, out, "ops.ingest_stats", "json", stats);
        }
        return out;
    }

    private static void register(SparkSession spark, List<Registered> out, String name, String format, String path) {
        spark.sql("DROP TABLE IF EXISTS " + name);
        spark.sql("CREATE TABLE " + name + " USING " + format + " LOCATION '" + path.replace("'", "\\'") + "'");
        out.add(new Registered(name, format, path));
    }

    private static List<String> subfolders(SparkSession spark, String dir) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(dir), spark.sparkContext().hadoopConfiguration());
        Path p = new Path(dir);
        List<String> names = new ArrayList<>();
        if (!fs.exists(p)) {
            return names;
        }
        for (FileStatus s : fs.listStatus(p)) {
            String n = s.getPath().getName();
            if (s.isDirectory() && !n.startsWith("_") && !n.startsWith(".")) {
                names.add(n);
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    private static boolean hasFiles(SparkSession spark, String dir) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(dir), spark.sparkContext().hadoopConfiguration());
        Path p = new Path(dir);
        if (!fs.exists(p)) {
            return false;
        }
        var it = fs.listFiles(p, true);
        while (it.hasNext()) {
            String n = it.next().getPath().getName();
            if (!n.startsWith(".") && !n.startsWith("_")) {
                return true;
            }
        }
        return false;
    }
}
