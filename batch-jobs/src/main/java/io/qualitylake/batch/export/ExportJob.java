package io.qualitylake.batch.export;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.schemas.Topic;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code qlake batch export}: the ranking feed for industry-cluster platforms (SPEC §5).
 * For every month whose grades changed since the last export, {@code <lake>/exports/rankings/<period>/} gets
 * {@code <table>.jsonl} (one JSON object per row, field names = the gold column names),
 * {@code parquet/<table>/} and {@code _manifest.json}; each period folder is replaced whole, so a
 * rerun gives the same files. With Kafka options, one message per cluster and period goes to
 * {@code qlake.grades.v1}, keyed {@code <cluster_id>|<period>} on a compacted topic: a rerun replaces
 * what a consumer keyed by cluster and period sees, never duplicates it.
 */
public final class ExportJob implements BatchJob {
    public static final String FEED_SCHEMA = "qlake.grades/1";
    static final List<String> TABLES = List.of("line_grades", "enterprise_capability", "cluster_rankings");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGING_PARTITION = "_period";

    private final Properties kafka;

    /** @param kafka producer properties (bootstrap.servers, security), or null for files only */
    public ExportJob(Properties kafka) {
        this.kafka = kafka;
    }

    public ExportJob() {
        this(null);
    }

    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "the ranking feed: exports/rankings/<period>/ files (and qlake.grades.v1 with --bootstrap)";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        io.qualitylake.batch.job.Scope scope = io.qualitylake.batch.job.Increments.decide(spark, ctx, List.of(
                io.qualitylake.batch.job.Increments.Input.gold(ctx, "line_grades"),
                io.qualitylake.batch.job.Increments.Input.gold(ctx, "enterprise_capability"),
                io.qualitylake.batch.job.Increments.Input.gold(ctx, "cluster_rankings"),
                io.qualitylake.batch.job.Increments.Input.wholesale("silver.dim_plants", ctx.lake().silver("dim_plants")),
                io.qualitylake.batch.job.Increments.Input.wholesale("silver.dim_enterprises", ctx.lake().silver("dim_enterprises"))),
                List.of());
        ctx.scope(scope);
        if (scope.isEmpty()) {
            ctx.note("export", "no period changed since the last export");
            return;
        }
        Map<String, Dataset<Row>> slices = new LinkedHashMap<>();
        Dataset<Row> clusterOf = io.qualitylake.batch.reference.Dimension.PLANTS.read(spark, ctx).select("plant_id", "enterprise_id")
                .join(io.qualitylake.batch.reference.Dimension.ENTERPRISES.read(spark, ctx).select("enterprise_id", "cluster_id"),
                        new String[] {"enterprise_id"}, "left")
                .select("plant_id", "cluster_id");
        // line grades carry their cluster in the feed, so a platform can filter its own
        slices.put("line_grades", Tables.gold(spark, ctx, "line_grades", "grading")
                .join(clusterOf, new String[] {"plant_id"}, "left"));
        slices.put("enterprise_capability", Tables.gold(spark, ctx, "enterprise_capability", "grading"));
        slices.put("cluster_rankings", Tables.gold(spark, ctx, "cluster_rankings", "benchmarks"));
        FileSystem fs;
        try {
            fs = new Path(ctx.lake().root()).getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("no file system for " + ctx.lake().root(), e);
        }
        // Every table is read, gathered and written once for all the periods in scope (a year of dailies restates
        // 13 months: one Spark job per table, not one per table and month). Each table's Parquet goes to a staging
        // folder, partitioned by a copy of period so that the files keep the column, and each partition is then
        // moved into its period's folder.
        String staging = ctx.lake().root() + "/exports/_staging";
        Map<String, Map<String, List<ObjectNode>>> byTable = new LinkedHashMap<>();
        try {
            fs.delete(new Path(staging), true);
            for (String table : TABLES) {
                Dataset<Row> part = slices.get(table).filter(scope.covers(col("period"))).localCheckpoint();
                part.withColumn(STAGING_PARTITION, col("period")).repartition(col(STAGING_PARTITION)).write()
                        .partitionBy(STAGING_PARTITION).mode(SaveMode.Overwrite).parquet(staging + "/" + table);
                byTable.put(table, byPeriod(toJson(part)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("export staging in " + staging + " failed", e);
        }
        List<String> periods = new ArrayList<>(new java.util.TreeSet<>(byTable.get("line_grades").keySet()));
        int messages = 0;
        for (String period : periods) {
            String dir = ctx.lake().root() + "/exports/rankings/" + period;
            try {
                fs.delete(new Path(dir), true);
                fs.mkdirs(new Path(dir + "/parquet"));
                Map<String, List<ObjectNode>> rows = new LinkedHashMap<>();
                ObjectNode manifest = JSON.createObjectNode().put("feed", FEED_SCHEMA).put("period", period)
                        .put("as_of", ctx.asOf().toString());
                ObjectNode counts = manifest.putObject("rows");
                for (String table : TABLES) {
                    Path staged = new Path(staging + "/" + table + "/" + STAGING_PARTITION + "=" + period);
                    Path target = new Path(dir + "/parquet/" + table);
                    if (fs.exists(staged)) {
                        if (!fs.rename(staged, target)) {
                            throw new IOException("cannot move " + staged + " to " + target);
                        }
                    } else { // no row of this table in the month: an empty table with its schema, as before
                        slices.get(table).limit(0).coalesce(1).write().mode(SaveMode.Overwrite).parquet(target.toString());
                    }
                    List<ObjectNode> json = byTable.get(table).getOrDefault(period, List.of());
                    rows.put(table, json);
                    write(fs, dir + "/" + table + ".jsonl", json);
                    counts.put(table, json.size());
                }
                writeBytes(fs, dir + "/_manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
                if (kafka != null) {
                    messages += publish(period, ctx, rows);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("export of " + period + " to " + dir + " failed", e);
            }
        }
        try {
            fs.delete(new Path(staging), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + staging, e);
        }
        ctx.note("export", periods.size() + " period(s) to " + ctx.lake().root() + "/exports/rankings"
                + (kafka == null ? "" : ", " + messages + " message(s) to " + Topic.GRADES.topicName()));
    }

    /** Rows (in their order) by their period field. */
    static Map<String, List<ObjectNode>> byPeriod(List<ObjectNode> rows) {
        Map<String, List<ObjectNode>> out = new LinkedHashMap<>();
        for (ObjectNode n : rows) {
            out.computeIfAbsent(n.path("period").asText(), k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    /** Small by nature (one row per line, enterprise or cluster and month): gathered to the driver. */
    static List<ObjectNode> toJson(Dataset<Row> rows) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        for (String line : rows.orderBy(rows.columns()[0], rows.columns()[1]).toJSON().collectAsList()) {
            out.add((ObjectNode) JSON.readTree(line));
        }
        return out;
    }

    private static void write(FileSystem fs, String path, List<ObjectNode> rows) throws IOException {
        StringBuilder b = new StringBuilder();
        for (ObjectNode n : rows) {
            b.append(JSON.writeValueAsString(n)).append('\n');
        }
        writeBytes(fs, path, b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(FileSystem fs, String path, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(new Path(path), true)) {
            out.write(bytes);
        }
    }

    /** One message per cluster: its ranking row, its lines' grades and its enterprises' levels. */
    private int publish(String period, JobContext ctx, Map<String, List<ObjectNode>> rows) {
        ensureTopic();
        Properties p = new Properties();
        p.putAll(kafka);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        int sent = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (ObjectNode cluster : rows.get("cluster_rankings")) {
                String clusterId = cluster.path("cluster_id").asText();
                ObjectNode msg = JSON.createObjectNode().put("schema", FEED_SCHEMA).put("period", period)
                        .put("as_of", ctx.asOf().toString()).put("cluster_id", clusterId);
                msg.set("ranking", cluster);
                ArrayNode lines = msg.putArray("line_grades");
                ArrayNode enterprises = msg.putArray("enterprise_capability");
                for (ObjectNode e : rows.get("enterprise_capability")) {
                    if (clusterId.equals(e.path("cluster_id").asText(null))) {
                        enterprises.add(e);
                    }
                }
                for (ObjectNode l : rows.get("line_grades")) {
                    if (clusterId.equals(l.path("cluster_id").asText(null))) {
                        lines.add(l);
                    }
                }
                producer.send(new ProducerRecord<>(Topic.GRADES.topicName(), clusterId + "|" + period, JSON.writeValueAsString(msg)))
                        .get();
                sent++;
            }
        } catch (Exception e) {
            throw new IllegalStateException("publishing the ranking feed to " + kafka.getProperty("bootstrap.servers")
                    + " failed: " + e.getMessage(), e);
        }
        return sent;
    }

    private void ensureTopic() {
        try (Admin admin = Admin.create(kafka)) {
            // replication: the cluster's default (1 on the dev broker; 3 on qlake cluster, whose min.insync.replicas 2
            // would refuse every acks=all send to a topic of one replica)
            admin.createTopics(List.of(new NewTopic(Topic.GRADES.topicName(), java.util.Optional.of(1), java.util.Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + Topic.GRADES.topicName() + ": " + e.getCause().getMessage(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + Topic.GRADES.topicName(), e);
        }
    }
}
