package io.qualitylake.batch.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bronze → silver: typed, one row per event, incremental, idempotent, duplicates across runs merged away. */
class SilverJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @TempDir
    Path lake;

    private long rows(String table) {
        return BatchTestSupport.table(SPARK, lake, "silver." + table).count();
    }

    @Test
    void incrementalMergeIsIdempotentAndRemovesDuplicatesAcrossRuns() throws Exception {
        BatchTestSupport.Simulated sim = BatchTestSupport.simulate(SimulationConfig.defaults().withScale(2, 6, 5));
        Map<String, Long> counts = sim.truth().counts();
        List<byte[]> records = sim.records();
        int half = records.size() / 2;

        // run 1: the first half of the stream (with the simulator's own duplicates inside it)
        BatchTestSupport.writeBronze(SPARK, lake, records.subList(0, half));
        BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        long firstUnits = rows("production_units");
        assertTrue(firstUnits > 0 && firstUnits < counts.get("UNIT_COMPLETED"));

        // run 2 without new bronze files: nothing changes, not even the table versions
        String path = Lake.at(lake.toString()).silver("measurements");
        long before = Tables.version(SPARK, path);
        BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        assertEquals(before, Tables.version(SPARK, path));

        // run 3: the whole stream again (every first-half event arrives a second time) plus the rest
        BatchTestSupport.writeBronze(SPARK, lake, records);
        io.qualitylake.batch.job.JobContext third = BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        assertEquals("0", third.notes().get("dq_failed_constraints"), "Deequ checks on clean silver pass");
        assertTrue(BatchTestSupport.table(SPARK, lake, "ops.dq_results").filter("table = 'silver.measurements'").count() >= 4);
        assertEquals(counts.get("UNIT_COMPLETED"), rows("production_units"));
        assertEquals(counts.get("MEASUREMENT"), rows("measurements"));
        assertEquals(counts.get("DEFECT"), rows("defects"));
        assertEquals(counts.get("SPOT_CHECK"), rows("spot_checks"));
        assertEquals(counts.get("UNIT_INSTALLED"), rows("installs"));
        assertEquals(counts.get("FIELD_FAILURE"), rows("field_failures"));
        // one component row per component of every unit (traced units carry 3)
        long components = BatchTestSupport.table(SPARK, lake, "silver.production_units").count() > 0
                ? SPARK.read().format("delta").load(Lake.at(lake.toString()).silver("unit_components"))
                        .groupBy("event_id").count().filter("count != 3").count() : -1;
        assertEquals(0, components, "traced units have exactly their three components");
        assertEquals(BatchTestSupport.table(SPARK, lake, "silver.measurements").select("event_id").distinct().count(),
                rows("measurements"), "one row per event_id");
        assertEquals(counts.get("UNIT_COMPLETED") - firstUnits, third.rowsWritten().get("silver.production_units"),
                "rows written = rows the MERGE inserted");
        // partitioned by day, one new file per touched day: a day's MERGE reads and writes that day only
        for (SilverTable t : SilverTable.values()) {
            String p = Lake.at(lake.toString()).silver(t.table());
            assertEquals(List.of("event_date"), io.qualitylake.batch.lake.Delta.partitionColumns(SPARK, p), t.table());
        }
        long days = SPARK.read().format("delta").load(path).select("event_date").distinct().count();
        long added = Long.parseLong(io.delta.tables.DeltaTable.forPath(SPARK, path).history(1)
                .select("operationMetrics").head().<String, String>getJavaMap(0).get("numTargetFilesAdded"));
        assertTrue(added >= 1 && added <= days, "measurements MERGE wrote " + added + " files for " + days + " days");

        // run 4: new bronze files holding only events silver already has: nothing is written, and
        // the run says so (a MERGE that commits nothing must not report the previous commit's rows)
        BatchTestSupport.writeBronze(SPARK, lake, records.subList(0, half));
        io.qualitylake.batch.job.JobContext fourth = BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        assertEquals(counts.get("UNIT_COMPLETED"), rows("production_units"));
        assertTrue(fourth.rowsWritten().values().stream().allMatch(n -> n == 0), "nothing new: " + fourth.rowsWritten());
    }

    /** A lake whose silver was written unpartitioned (earlier versions) is rewritten partitioned once, rows unchanged. */
    @Test
    void anUnpartitionedSilverTableIsRewrittenPartitionedOnce() throws Exception {
        BatchTestSupport.Simulated sim = BatchTestSupport.simulate(SimulationConfig.defaults().withScale(2, 3, 3));
        BatchTestSupport.writeBronze(SPARK, lake, sim.records());
        String path = Lake.at(lake.toString()).silver(SilverTable.DEFECTS.table());
        // the old layout: an empty, unpartitioned table made before the first MERGE
        SilverTable.DEFECTS.from(SPARK.createDataFrame(List.of(), SilverTransforms.bronzeSchema(
                io.qualitylake.schemas.Topic.PRODUCTION))).write().format("delta").save(path);
        assertEquals(List.of(), io.qualitylake.batch.lake.Delta.partitionColumns(SPARK, path));
        io.qualitylake.batch.job.JobContext ctx = BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        assertEquals(List.of("event_date"), io.qualitylake.batch.lake.Delta.partitionColumns(SPARK, path));
        assertTrue(ctx.notes().getOrDefault("silver.defects", "").startsWith("rewritten partitioned"), ctx.notes().toString());
        assertEquals(sim.truth().counts().get("DEFECT"), rows("defects"));
        long version = Tables.version(SPARK, path);
        BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        assertEquals(version, Tables.version(SPARK, path), "rewritten once, not every run");
    }

    /** A measurement with inverted spec limits passes ingest (capability handles it) but is flagged here. */
    @Test
    void dataQualityChecksFlagInvertedSpecLimits() throws Exception {
        String bad = "{\"schema\":\"qlake.production/1\",\"event_id\":\"m-inverted\",\"event_type\":\"MEASUREMENT\","
                + "\"event_time\":\"2026-01-02T00:00:00Z\",\"plant_id\":\"P01\",\"line_id\":\"P01-L1\",\"station_id\":\"ST10\","
                + "\"characteristic_id\":\"C1\",\"subgroup_id\":\"S1\",\"value\":1.0,\"lsl\":2.0,\"usl\":1.0,\"target\":1.5,"
                + "\"collection\":\"AUTO\"}";
        BatchTestSupport.writeBronze(SPARK, lake, List.of(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        io.qualitylake.batch.job.JobContext ctx = BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
        assertEquals("1", ctx.notes().get("dq_failed_constraints"));
        assertEquals(1, BatchTestSupport.table(SPARK, lake, "ops.dq_results")
                .filter("constraint_status != 'Success' AND check_level = 'Warning'").count());
    }

    @Test
    void anEmptyLakeIsAOneLineUserError() {
        UserError e = assertThrows(UserError.class, () -> BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null));
        assertTrue(e.getMessage().startsWith("no bronze data"), e.getMessage());
        // and the failed run is recorded
        assertEquals("FAILED", BatchTestSupport.table(SPARK, lake, "ops.job_runs").select("status").head().getString(0));
    }
}
