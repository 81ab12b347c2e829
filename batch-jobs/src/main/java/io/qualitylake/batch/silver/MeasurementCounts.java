package io.qualitylake.batch.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.delta.tables.DeltaTable;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.ChangeFeed;
import io.qualitylake.batch.job.Tables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code silver.measurement_counts}: measurements and AUTO measurements per plant × line × day — what
 * the enterprise levels and the plant benchmarks need of the measurements (the auto-collection rate)
 * without reading the measurements, the lake's largest table, for every month they restate.
 *
 * <p>A refresh recounts only the days of the measurements added since the version the store reflects
 * (the change data feed of silver.measurements) and replaces those days in one commit, whose user
 * metadata records that version: rows and state never disagree, and a crash leaves the old store,
 * which the next refresh brings up to date. A missing store, a store without state, a measurements
 * table that went back in versions, or one without a feed for the range rebuilds it.
 */
public final class MeasurementCounts {
    public static final String TABLE = "measurement_counts";
    private static final String STATE_PREFIX = "measurements=";

    private MeasurementCounts() {}

    /** Per plant × line × event_date: {@code measurements}, {@code auto_measurements}. */
    public static Dataset<Row> perDay(Dataset<Row> measurements) {
        return measurements.groupBy("plant_id", "line_id", "event_date")
                .agg(count(lit(1)).cast("long").as("measurements"),
                        sum(when(col("collection").equalTo("AUTO"), 1).otherwise(0)).cast("long").as("auto_measurements"));
    }

    /**
     * The store brought up to the current silver.measurements, cut at this run's as_of (days up to and
     * including it: a day's measurements are those with that UTC event date).
     */
    public static Dataset<Row> refresh(SparkSession spark, JobContext ctx) {
        String path = ctx.lake().silver(TABLE);
        String source = ctx.lake().silver(SilverTable.MEASUREMENTS.table());
        if (!Tables.exists(spark, source)) {
            return perDay(SilverTable.MEASUREMENTS.read(spark, ctx));
        }
        long now = Tables.version(spark, source);
        ctx.read("silver." + SilverTable.MEASUREMENTS.table(), now);
        Long was = reflected(spark, path);
        if (was != null && was < now && !io.qualitylake.batch.lake.Delta.dataChanged(spark, source, was, now)) {
            was = now; // only VACUUM or OPTIMIZE commits since: nothing to recount
        }
        String how;
        Dataset<Row> feed = was == null || was > now ? null : was == now ? spark.emptyDataFrame() : ChangeFeed.between(spark, source, was, now);
        if (feed == null) {
            how = was == null ? "built" : "rebuilt (" + (was > now ? "measurements went back in versions" : "no change feed") + ")";
            write(spark, perDay(spark.read().format("delta").load(source)), now, null, path);
        } else if (was == now) {
            how = "unchanged";
        } else {
            List<String> days = feed.select("event_date").distinct().as(Encoders.DATE()).collectAsList().stream()
                    .filter(java.util.Objects::nonNull).map(d -> "DATE'" + d + "'").sorted().toList();
            how = days.size() + " days recounted";
            String where = days.isEmpty() ? "false" : "event_date IN (" + String.join(",", days) + ")";
            write(spark, perDay(spark.read().format("delta").load(source).filter(where)), now, where, path);
        }
        ctx.note("measurement_counts", how);
        if (!how.equals("unchanged")) {
            Tables.recordWrite(spark, ctx, "silver." + TABLE, path);
        }
        return spark.read().format("delta").load(path).filter(col("event_date").leq(lit(java.sql.Date.valueOf(ctx.asOf()))));
    }

    /** Rows of {@code days} (all when null) replaced in one commit carrying the source version. */
    private static void write(SparkSession spark, Dataset<Row> rows, long version, String days, String path) {
        String key = "spark.databricks.delta.commitInfo.userMetadata";
        spark.conf().set(key, STATE_PREFIX + version);
        try {
            var w = rows.write().format("delta").mode(SaveMode.Overwrite);
            (days == null ? w.option("overwriteSchema", "true") : w.option("replaceWhere", days)).save(path);
        } finally {
            spark.conf().unset(key);
        }
    }

    /** The measurements version the store's rows reflect, or null without a store or state. */
    private static Long reflected(SparkSession spark, String path) {
        if (!Tables.exists(spark, path)) {
            return null;
        }
        String text = io.qualitylake.batch.lake.Delta.lastDataCommitMetadata(spark, path);
        return text == null || !text.startsWith(STATE_PREFIX) ? null : Long.parseLong(text.substring(STATE_PREFIX.length()));
    }
}
