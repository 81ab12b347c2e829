package io.qualitylake.batch.lake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The tables several jobs of one {@code batch all} read (production units, installs, field failures,
 * spot checks, defects, dimensions), read once per table version and kept in memory (spilling to disk)
 * for the jobs after: each is pinned to the version it was read at, so a job never sees a cached copy
 * of an older version. The bulk tables (measurements, unit components) are not cached: jobs read
 * only the months they need of them, with Delta's file skipping. Off unless a run enables it.
 */
public final class ReadCache implements AutoCloseable {
    private static ReadCache active;

    private final Set<String> tables;
    private final Map<String, Dataset<Row>> cached = new LinkedHashMap<>();

    private ReadCache(Set<String> tables) {
        this.tables = tables;
    }

    /** Caches reads of {@code tables} (e.g. "silver.installs") until the returned cache is closed. */
    public static synchronized ReadCache open(Set<String> tables) {
        active = new ReadCache(tables);
        return active;
    }

    /** The table at {@code version}: a cached copy if this run caches it, else null. */
    public static synchronized Dataset<Row> get(SparkSession spark, String name, String path, long version) {
        if (active == null || !active.tables.contains(name)) {
            return null;
        }
        String key = name + "@" + version;
        Dataset<Row> d = active.cached.get(key);
        if (d == null) {
            for (var it = active.cached.entrySet().iterator(); it.hasNext();) { // an older version of the table
                var e = it.next();
                if (e.getKey().startsWith(name + "@")) {
                    e.getValue().unpersist();
                    it.remove();
                }
            }
            d = spark.read().format("delta").option("versionAsOf", version).load(path).persist(StorageLevel.MEMORY_AND_DISK());
            active.cached.put(key, d);
        }
        return d;
    }

    @Override
    public synchronized void close() {
        cached.values().forEach(Dataset::unpersist);
        cached.clear();
        if (active == this) {
            active = null;
        }
    }
}
