package io.qualitylake.batch.silver;

import io.delta.tables.DeltaTable;
import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.schemas.Topic;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * {@code qlake batch silver}: only the bronze files not seen before (a file stream with
 * {@code Trigger.AvailableNow} and a checkpoint), each batch MERGEd into the silver tables on their
 * key — so a rerun without new data changes nothing, and a duplicate arriving in a later run is
 * merged away.
 */
public final class SilverJob implements BatchJob {
    @Override
    public boolean needsAsOf() {
        return false;
    }

    @Override
    public String name() {
        return "silver";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.Arrays.stream(SilverTable.values()).map(t -> "silver." + t.table()).toList();
    }

    @Override
    public String summary() {
        return "new bronze files MERGEd into the typed silver tables on their keys, with Deequ checks (ops.dq_results)";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) throws Exception {
        boolean any = false;
        java.util.Map<SilverTable, Long> before = new java.util.EnumMap<>(SilverTable.class);
        for (Topic topic : Topic.eventTopics()) {
            String bronze = ctx.lake().bronze(topic.lakeName());
            if (!ctx.lake().exists(spark.sparkContext().hadoopConfiguration(), "bronze/" + topic.lakeName())) {
                ctx.note("bronze." + topic.lakeName(), "no bronze data yet");
                continue;
            }
            any = true;
            ctx.lap("start");
            List<SilverTable> targets = Arrays.stream(SilverTable.values()).filter(t -> t.source() == topic).toList();
            for (SilverTable t : targets) {
                createIfMissing(spark, ctx, t, topic);
                before.put(t, Tables.version(spark, ctx.lake().silver(t.table())));
            }
            Dataset<Row> stream = spark.readStream().format("parquet").schema(SilverTransforms.bronzeSchema(topic))
                    .option("maxFilesPerTrigger", "1000").load(bronze);
            StreamingQuery q = stream.writeStream()
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, id) -> mergeBatch(spark, ctx, batch, targets))
                    .option("checkpointLocation", ctx.lake().checkpoint("silver/" + topic.lakeName()))
                    .trigger(Trigger.AvailableNow())
                    .start();
            q.awaitTermination();
            if (q.exception().isDefined()) {
                throw q.exception().get();
            }
        }
        if (!any) {
            throw new io.qualitylake.cli.UserError("no bronze data in " + ctx.lake().root() + " (run qlake ingest first)");
        }
        SilverQuality.verify(spark, ctx, before);
        ctx.lap("checks");
    }

    /**
     * Silver tables are partitioned by {@code event_date}: a day's MERGE names its dates, so Delta reads
     * and writes only those days' partitions (one file each, {@code merge.repartitionBeforeWrite}),
     * whatever the length of history. A table made unpartitioned by an earlier version is rewritten
     * partitioned once (one commit; its change feed then restates every month downstream, once).
     */
    static final String PARTITION = "event_date";

    private static void createIfMissing(SparkSession spark, JobContext ctx, SilverTable t, Topic topic) {
        String path = ctx.lake().silver(t.table());
        if (!Tables.exists(spark, path)) {
            Dataset<Row> empty = t.from(spark.createDataFrame(List.of(), SilverTransforms.bronzeSchema(topic)));
            empty.write().format("delta").partitionBy(PARTITION).save(path);
            return;
        }
        io.qualitylake.batch.lake.ChangeFeed.enable(spark, path); // a lake made before gold was incremental
        if (!io.qualitylake.batch.lake.Delta.partitionColumns(spark, path).contains(PARTITION)) {
            spark.read().format("delta").load(path).write().format("delta").mode(org.apache.spark.sql.SaveMode.Overwrite)
                    .option("overwriteSchema", "true").partitionBy(PARTITION).save(path);
            ctx.note("silver." + t.table(), "rewritten partitioned by " + PARTITION + " (a lake made by an earlier version)");
        }
    }

    private static void mergeBatch(SparkSession spark, JobContext ctx, Dataset<Row> batch, List<SilverTable> targets) {
        Dataset<Row> cached = batch.persist();
        try {
            for (SilverTable t : targets) {
                String path = ctx.lake().silver(t.table());
                Dataset<Row> rows = SilverTransforms.oneRowPerKey(t.from(cached), t.keys()).persist();
                // an event's date follows from its id, so matching on it is safe; naming the batch's dates
                // lets Delta skip every file of other days (a day's MERGE costs that day, not all history)
                List<String> dates = rows.select("event_date").distinct().as(org.apache.spark.sql.Encoders.DATE())
                        .collectAsList().stream().filter(java.util.Objects::nonNull).map(d -> "DATE'" + d + "'").toList();
                if (dates.isEmpty()) {
                    rows.unpersist();
                    continue;
                }
                String on = t.keys().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "))
                        + " AND t.event_date = s.event_date AND t.event_date IN (" + String.join(",", dates) + ")";
                long before = Tables.version(spark, path);
                DeltaTable.forPath(spark, path).as("t").merge(rows.as("s"), on).whenNotMatched().insertAll().execute();
                Tables.recordedSince(spark, ctx, "silver." + t.table(), path, before);
                rows.unpersist();
            }
        } finally {
            cached.unpersist();
        }
    }
}
