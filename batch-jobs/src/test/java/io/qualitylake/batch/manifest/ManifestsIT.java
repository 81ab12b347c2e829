package io.qualitylake.batch.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.TinyGoldLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Symlink manifests read the way Trino, Presto, Athena or Hive read them: the manifest of each
 * {@code period_month=…} partition lists Parquet files, and a plain Parquet reader (DuckDB here: not Spark, not
 * Delta) reads exactly those files, taking period_month from the manifest's folder as a partitioned external
 * table does. After a second run replaced February, the old February files are still on disk (Delta keeps
 * them for time travel) but no longer in the manifest, so the reader sees the current rows only.
 */
class ManifestsIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static TinyGoldLake lake;
    static JobContext second;
    static Path table;

    @BeforeAll
    static void twoRunsThenManifests() throws Exception {
        lake = TinyGoldLake.copy(SPARK, "qlake-manifests");
        Lake l = Lake.at(lake.root.toString());
        Manifests.update(SPARK, l, List.of("gold.quality_kpis"));
        second = lake.rerun(SPARK);
        // what qlake batch --manifests does after each job
        assertEquals(List.of("gold.quality_kpis", "gold.defect_pareto"),
                Manifests.update(SPARK, l, second.rowsWritten().keySet().stream().filter(t -> t.startsWith("gold.")).toList()));
        table = lake.root.resolve("gold").resolve("quality_kpis");
    }

    @Test
    void aPlainParquetReaderThroughTheManifestSeesTheCurrentRowsOnly() throws Exception {
        Map<String, List<String>> filesByMonth = manifest(table);
        assertEquals(Set.of("2026-01", "2026-02"), filesByMonth.keySet());
        Map<String, String> viaManifest = new TreeMap<>();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            for (Map.Entry<String, List<String>> e : filesByMonth.entrySet()) {
                String files = e.getValue().stream().map(f -> "'" + f.replace("'", "''") + "'").collect(Collectors.joining(", "));
                try (Statement s = duck.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT run_id), "
                        + "min(run_id), CAST(max(as_of) AS VARCHAR), sum(units) FROM read_parquet([" + files + "])")) {
                    rs.next();
                    assertEquals(1, rs.getLong(2), "one run per month");
                    viaManifest.put(e.getKey(), rs.getLong(1) + " rows, " + rs.getString(3) + "@" + rs.getString(4)
                            + ", units " + rs.getLong(5));
                }
            }
        }
        Map<String, String> delta = new TreeMap<>();
        for (Row r : BatchTestSupport.table(SPARK, lake.root, "gold.quality_kpis").groupBy("period_month")
                .agg(org.apache.spark.sql.functions.count("*"), org.apache.spark.sql.functions.min("run_id"),
                        org.apache.spark.sql.functions.max("as_of").cast("string"), org.apache.spark.sql.functions.sum("units"))
                .collectAsList()) {
            delta.put(r.getString(0), r.getLong(1) + " rows, " + r.getString(2) + "@" + r.getString(3) + ", units " + r.getLong(4));
        }
        assertEquals(delta, viaManifest, "the manifest's files hold exactly the Delta table's current rows");
        assertTrue(viaManifest.get("2026-01").contains(lake.firstRun.runId() + "@" + TinyGoldLake.FIRST_AS_OF), viaManifest.toString());
        assertTrue(viaManifest.get("2026-02").contains(second.runId() + "@" + TinyGoldLake.SECOND_AS_OF), viaManifest.toString());
    }

    @Test
    void filesTheSecondRunReplacedAreStillOnDiskButNotInTheManifest() throws Exception {
        Set<String> listed = manifest(table).values().stream().flatMap(List::stream).map(f -> Path.of(java.net.URI.create(f)).toString())
                .collect(Collectors.toSet());
        List<String> onDisk;
        try (Stream<Path> s = Files.walk(table.resolve("period_month=2026-02"))) {
            onDisk = s.filter(p -> p.toString().endsWith(".parquet")).map(Path::toString).toList();
        }
        List<String> stale = new ArrayList<>(onDisk);
        stale.removeAll(listed);
        assertFalse(stale.isEmpty(), "the first run's February files stay for time travel: " + onDisk);
        assertTrue(listed.stream().allMatch(f -> Files.exists(Path.of(f))), "every listed file exists");
        assertTrue(onDisk.containsAll(listed.stream().filter(f -> f.contains("period_month=2026-02")).toList()));
    }

    /** Month → the file URIs its manifest lists. */
    static Map<String, List<String>> manifest(Path table) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        Path dir = table.resolve(Manifests.DIR);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path part : s.toList()) {
                String month = part.getFileName().toString().replaceFirst("^period_month=", "");
                out.put(month, Files.readAllLines(part.resolve("manifest")).stream().filter(x -> !x.isBlank()).toList());
            }
        }
        return out;
    }
}
