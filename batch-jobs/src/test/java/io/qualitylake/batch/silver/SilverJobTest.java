package io.qualitylake.batch.silver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.lake.Tables;
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
class SilverJobTest {
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
        BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null);
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
    }

    @Test
    void anEmptyLakeIsAOneLineUserError() {
        UserError e = assertThrows(UserError.class, () -> BatchTestSupport.run(SPARK, new SilverJob(), lake, null, null));
        assertTrue(e.getMessage().startsWith("no bronze data"), e.getMessage());
        // and the failed run is recorded
        assertEquals("FAILED", BatchTestSupport.table(SPARK, lake, "ops.job_runs").select("status").head().getString(0));
    }
}
