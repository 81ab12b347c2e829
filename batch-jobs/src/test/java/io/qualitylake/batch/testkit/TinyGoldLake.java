package io.qualitylake.batch.testkit;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.quality.QualityJob;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * A lake small enough for tests of readers (qlake serve, manifests): two plants, 40 days from 1 January 2026,
 * bronze and silver, and gold.quality_kpis / gold.defect_pareto from a first quality run as of
 * {@link #FIRST_AS_OF}. {@link #rerun} runs the quality job again at {@link #SECOND_AS_OF}: the cut-off moves
 * within February, so that run replaces the February partition and leaves January as the first run wrote it.
 */
public final class TinyGoldLake {
    public static final SimulationConfig WORLD = new SimulationConfig(7, 2, 40, LocalDate.of(2026, 1, 1), 4, 1, 0, 0, 0, 0);
    public static final LocalDate FIRST_AS_OF = LocalDate.of(2026, 2, 3);
    public static final LocalDate SECOND_AS_OF = LocalDate.of(2026, 2, 9);

    public final Path root;
    public final JobContext firstRun;

    private TinyGoldLake(Path root, JobContext firstRun) {
        this.root = root;
        this.firstRun = firstRun;
    }

    private static TinyGoldLake template;

    /**
     * A private copy of the lake after the first run: the lake is built once per test JVM and copied (a few MB)
     * for each test class, which may then change its copy.
     */
    public static synchronized TinyGoldLake copy(SparkSession spark, String prefix) throws Exception {
        if (template == null) {
            Path root = Files.createTempDirectory("qlake-tiny-gold");
            BatchTestSupport.writeBronze(spark, root, BatchTestSupport.simulate(WORLD).records());
            BatchTestSupport.writeSilverFromBronze(spark, root, SilverTable.values());
            template = new TinyGoldLake(root, BatchTestSupport.run(spark, new QualityJob(), root, FIRST_AS_OF, null));
        }
        Path target = Files.createTempDirectory(prefix);
        try (java.util.stream.Stream<Path> files = Files.walk(template.root)) {
            for (Path p : files.toList()) {
                Path to = target.resolve(template.root.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return new TinyGoldLake(target, template.firstRun);
    }

    /** The second quality run (as of {@link #SECOND_AS_OF}); returns its context (run id, versions written). */
    public JobContext rerun(SparkSession spark) throws Exception {
        return BatchTestSupport.run(spark, new QualityJob(), root, SECOND_AS_OF, null);
    }
}
