package io.qualitylake.batch.testkit;

import io.qualitylake.batch.capability.CapabilityJob;
import io.qualitylake.batch.quality.QualityJob;
import io.qualitylake.batch.reference.ReferenceJob;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * A 4-enterprise world (8 plants, 16 lines, 64 characteristics, 150 days; every capability profile
 * of SPEC §5 appears once) with dimensions loaded and the quality and capability gold slices built:
 * the input of grading, benchmarks, suppliers and export tests. Built once per test JVM.
 */
public final class GradingWorld {
    public static final SimulationConfig CONFIG = new SimulationConfig(5, 8, 150, LocalDate.of(2025, 1, 1), 24, 3, 0, 0, 0, 0);

    private static GradingWorld instance;

    public final Path lake;
    public final Path reference;
    public final Map<String, Object> truth;
    public final LocalDate asOf;

    private GradingWorld(Path lake, Path reference, Map<String, Object> truth) {
        this.lake = lake;
        this.reference = reference;
        this.truth = truth;
        this.asOf = LocalDate.parse(truth.get("as_of").toString());
    }

    public static synchronized GradingWorld get() throws Exception {
        if (instance == null) {
            SparkSession spark = BatchTestSupport.spark();
            Path lake = Files.createTempDirectory("qlake-grading-world");
            BatchTestSupport.Simulated sim = BatchTestSupport.simulate(CONFIG);
            BatchTestSupport.writeBronze(spark, lake, sim.records());
            Path ref = BatchTestSupport.writeReference(CONFIG, Files.createTempDirectory("qlake-grading-ref"));
            BatchTestSupport.run(spark, new ReferenceJob(), lake, null, ref.toString());
            BatchTestSupport.writeSilverFromBronze(spark, lake, SilverTable.values());
            instance = new GradingWorld(lake, ref, sim.truth().asMap());
            BatchTestSupport.run(spark, new QualityJob(), lake, instance.asOf, null);
            BatchTestSupport.run(spark, new CapabilityJob(), lake, instance.asOf, null);
        }
        return instance;
    }

    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> truthList(String key) {
        return (List<Map<String, Object>>) truth.get(key);
    }
}
