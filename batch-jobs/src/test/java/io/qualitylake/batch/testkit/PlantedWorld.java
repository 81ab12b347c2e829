package io.qualitylake.batch.testkit;

import io.qualitylake.batch.silver.SilverJob;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * A year of a 4-plant simulated world, landed in bronze and merged into silver once per test JVM
 * and shared by the end-to-end batch tests (58,400 units; no measurements, to stay small).
 */
public final class PlantedWorld {
    public static final SimulationConfig YEAR = new SimulationConfig(3, 4, 365, LocalDate.of(2025, 1, 1), 20, 0,
            0.002, 0.001, 0.0, 0.0);

    private static PlantedWorld instance;

    public final Path lake;
    public final BatchTestSupport.Simulated sim;
    public final LocalDate asOf;

    private PlantedWorld(Path lake, BatchTestSupport.Simulated sim) {
        this.lake = lake;
        this.sim = sim;
        this.asOf = LocalDate.parse(sim.truth().asMap().get("as_of").toString());
    }

    public static synchronized PlantedWorld get() throws Exception {
        if (instance == null) {
            SparkSession spark = BatchTestSupport.spark();
            Path lake = Files.createTempDirectory("qlake-planted-world");
            BatchTestSupport.Simulated sim = BatchTestSupport.simulate(YEAR);
            BatchTestSupport.writeBronze(spark, lake, sim.records());
            BatchTestSupport.run(spark, new SilverJob(), lake, null, null);
            instance = new PlantedWorld(lake, sim);
        }
        return instance;
    }
}
