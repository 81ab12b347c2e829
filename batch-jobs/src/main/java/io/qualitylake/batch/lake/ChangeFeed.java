package io.qualitylake.batch.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Delta's change data feed between two versions of a table: the rows a run inserted, updated or
 * deleted (with {@code _change_type}). Every table the lake creates records it
 * ({@code delta.enableChangeDataFeed}, set by the session defaults); older tables get it switched on.
 */
public final class ChangeFeed {
    private ChangeFeed() {}

    /**
     * Changes in versions {@code (fromExclusive, toInclusive]}, or null when the feed does not cover
     * that range (a table made before the feed was switched on): the caller then recomputes everything.
     */
    public static Dataset<Row> between(SparkSession spark, String path, long fromExclusive, long toInclusive) {
        try {
            Dataset<Row> changes = spark.read().format("delta").option("readChangeFeed", "true")
                    .option("startingVersion", fromExclusive + 1).option("endingVersion", toInclusive).load(path);
            changes.schema(); // resolves the range now: an uncovered range fails here, not later
            return changes;
        } catch (Exception e) {
            return null;
        }
    }

    /** Switches the feed on for a table made without it (from its next version on). */
    public static void enable(SparkSession spark, String path) {
        Object on = Delta.properties(spark, path).get("delta.enableChangeDataFeed");
        if (!"true".equals(on)) {
            spark.sql("ALTER TABLE delta.`" + path + "` SET TBLPROPERTIES (delta.enableChangeDataFeed = true)");
        }
    }
}
