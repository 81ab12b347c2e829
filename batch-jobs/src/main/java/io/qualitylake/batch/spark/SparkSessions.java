package io.qualitylake.batch.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession factory, for jobs and tests alike: Delta extensions, UTC, no UI.
 * Under spark-submit the master and resources come from spark-submit; locally the default is
 * {@code local[*]}. Tests use {@link #forTests()}: one shuffle partition, one snapshot partition.
 */
public final class SparkSessions {
    private SparkSessions() {}

    public static SparkSession create(String master, boolean test) {
        return create(master, test, java.util.Map.of());
    }

    /** {@link #create(String, boolean)} with more settings, which win over the defaults (e.g. qlake serve's extensions). */
    public static SparkSession create(String master, boolean test, java.util.Map<String, String> extra) {
        SparkSession.Builder b = SparkSession.builder().appName("qualitylake")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.warehouse.dir", warehouse())
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
                .config("spark.sql.streaming.stopActiveRunOnRestart", "true")
                // every table records its changes: gold jobs recompute only what changed (SPEC §3)
                .config("spark.databricks.delta.properties.defaults.enableChangeDataFeed", "true")
                // MERGE into partitioned silver: one file per touched partition, not one per shuffle partition
                .config("spark.databricks.delta.merge.repartitionBeforeWrite.enabled", "true")
                // cached tables (one batch all's shared reads) stored uncompressed: building the cache of
                // 1.85 M units took 3.7 s instead of 8.2 s (measured); it spills to disk when memory is short
                .config("spark.sql.inMemoryColumnarStorage.compressed", "false");
        String effectiveMaster = master != null ? master : System.getProperty("spark.master", "local[*]");
        if (master != null || System.getProperty("spark.master") == null) {
            b.master(effectiveMaster);
        }
        if (effectiveMaster.startsWith("local")) {
            // bronze holds one folder per day and silver's file streams list it twice per topic per run.
            // Above 32 folders Spark lists them with a job of one task per folder, which pays off only with
            // remote executors: on local[*] (2 cores, a year of bronze, 22.7 M records) a no-new-data silver
            // run took 47.2 s with it and 35.1 s listing on the driver (measured; README, Benchmarks)
            b.config("spark.sql.sources.parallelPartitionDiscovery.threshold", String.valueOf(Integer.MAX_VALUE));
        }
        if (test) {
            b.config("spark.sql.shuffle.partitions", "2")
                    .config("spark.default.parallelism", "2")
                    .config("spark.databricks.delta.snapshotPartitions", "1")
                    .config("spark.sql.adaptive.coalescePartitions.initialPartitionNum", "2");
        } else {
            b.config("spark.sql.shuffle.partitions", "8")
                    .config("spark.databricks.delta.snapshotPartitions", "2");
        }
        extra.forEach(b::config);
        return b.getOrCreate();
    }

    /** The shared test session (one per test JVM). */
    public static synchronized SparkSession forTests() {
        return create("local[2]", true);
    }

    private static String warehouse() {
        try {
            return Files.createTempDirectory("qlake-spark-warehouse").toUri().toString();
        } catch (java.io.IOException e) {
            return Path.of(System.getProperty("java.io.tmpdir"), "qlake-spark-warehouse").toUri().toString();
        }
    }
}
