package io.qualitylake.batch.testkit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.to_date;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.JobRunner;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.silver.SilverTransforms;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.ingestion.sink.InMemorySink;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.ingestion.simulate.Truth;
import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Shared fixtures for batch tests: the one test SparkSession, and bronze Parquet written in the
 * lake layout the ingest job produces (valid events only, partitioned by event_date/plant_id).
 */
public final class BatchTestSupport {
    private BatchTestSupport() {}

    public static SparkSession spark() {
        return SparkSessions.forTests();
    }

    /** The simulator's records and its truth. */
    public record Simulated(List<byte[]> records, Truth truth) {}

    public static Simulated simulate(SimulationConfig c) {
        InMemorySink sink = new InMemorySink();
        Truth truth = new Simulator(c).run(sink, d -> {});
        return new Simulated(sink.records(), truth);
    }

    /** The simulator's dimension files (what {@code qlake simulate --reference-out} writes) into {@code dir}. */
    public static Path writeReference(SimulationConfig c, Path dir) throws java.io.IOException {
        io.qualitylake.ingestion.simulate.ReferenceWriter.write(new Simulator(c).world(), dir);
        return dir;
    }

    /**
     * Appends the valid records to bronze as one ingest "run" would (duplicates within the list are
     * kept, as they would be across ingest runs; silver must merge them away).
     */
    public static void writeBronze(SparkSession spark, Path lake, List<byte[]> records) {
        EventValidator v = new EventValidator();
        Instant now = Instant.parse("2026-11-21T00:00:00Z");
        Map<Topic, List<String>> byTopic = new EnumMap<>(Topic.class);
        for (byte[] r : records) {
            if (v.validate(r, null, now) instanceof ValidationResult.Valid ok) {
                byTopic.computeIfAbsent(ok.event().topic(), t -> new ArrayList<>()).add(new String(r, StandardCharsets.UTF_8));
            }
        }
        byTopic.forEach((topic, json) -> {
            Dataset<Row> events = spark.read().schema(jsonSchema(topic))
                    .json(spark.createDataset(json, Encoders.STRING()));
            Dataset<Row> bronze = events.withColumn("ingest_time", current_timestamp())
                    .withColumn("source", lit("test")).withColumn("source_partition", lit(-1))
                    .withColumn("source_offset", monotonically_increasing_id())
                    .select(java.util.Arrays.stream(SilverTransforms.bronzeSchema(topic).fieldNames()).map(c -> col(c))
                            .toArray(org.apache.spark.sql.Column[]::new))
                    .withColumn("event_date", to_date(col("event_time")));
            bronze.write().mode(SaveMode.Append).partitionBy("event_date", "plant_id")
                    .parquet(Lake.at(lake.toString()).bronze(topic.lakeName()));
        });
    }

    /**
     * Silver tables straight from bronze with the silver job's own transforms, without its MERGE and
     * data-quality passes: for tests of gold jobs that need a large silver table quickly.
     */
    public static void writeSilverFromBronze(SparkSession spark, Path lake, io.qualitylake.batch.silver.SilverTable... tables) {
        Lake l = Lake.at(lake.toString());
        for (io.qualitylake.batch.silver.SilverTable t : tables) {
            Dataset<Row> bronze = spark.read().schema(SilverTransforms.bronzeSchema(t.source()).add("event_date",
                    org.apache.spark.sql.types.DataTypes.DateType)).parquet(l.bronze(t.source().lakeName()));
            t.from(bronze).write().format("delta").mode(SaveMode.Overwrite).save(l.silver(t.table()));
        }
    }

    /** The bronze schema without lineage columns: what the JSON events carry. */
    private static org.apache.spark.sql.types.StructType jsonSchema(Topic topic) {
        org.apache.spark.sql.types.StructType s = new org.apache.spark.sql.types.StructType();
        for (var f : SilverTransforms.bronzeSchema(topic).fields()) {
            if (!java.util.Set.of("ingest_time", "source", "source_partition", "source_offset").contains(f.name())) {
                s = s.add(f);
            }
        }
        return s;
    }

    public static JobContext run(SparkSession spark, BatchJob job, Path lake, LocalDate asOf, String reference) throws Exception {
        JobContext ctx = new JobContext(Lake.at(lake.toString()), asOf, reference, Map.of());
        return new JobRunner(spark).run(job, ctx, job.name());
    }

    public static Dataset<Row> table(SparkSession spark, Path lake, String zoneAndName) {
        String[] p = zoneAndName.split("\\.");
        return spark.read().format("delta").load(Lake.at(lake.toString()).root() + "/" + p[0] + "/" + p[1]);
    }

    /**
     * A port whose next {@code count - 1} neighbours are free as well: `qlake kafka start --port P`
     * binds P and the controller P + 1 (and P + 2 with --secure).
     */
    public static int freePorts(int count) throws java.io.IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            if (port + count > 65_535) {
                continue;
            }
            boolean free = true;
            for (int k = 1; k < count && free; k++) {
                try (java.net.ServerSocket next = new java.net.ServerSocket(port + k)) {
                    free = next.getLocalPort() == port + k;
                } catch (java.io.IOException busy) {
                    free = false;
                }
            }
            if (free) {
                return port;
            }
        }
        throw new java.io.IOException("no " + count + " adjacent free ports");
    }
}
