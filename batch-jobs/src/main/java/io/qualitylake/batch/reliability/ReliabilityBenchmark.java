package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rand;

import io.qualitylake.batch.spark.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qlake reliability-benchmark}: fits of many groups at once, to show how the job's cost grows.
 * Lives are generated in Spark (Weibull by inversion, right-censored at a fixed horizon), then the
 * same distributed fit the job uses runs over them; prints groups/second and rows/second.
 */
@Command(name = "reliability-benchmark", mixinStandardHelpOptions = true,
        description = "Fit N product groups of M units each with the reliability job's distributed Weibull fit.")
public class ReliabilityBenchmark implements Callable<Integer> {
    @Option(names = "--groups", defaultValue = "10000", description = "Groups (default: ${DEFAULT-VALUE}).")
    int groups;

    @Option(names = "--units-per-group", defaultValue = "200", description = "Units per group (default: ${DEFAULT-VALUE}).")
    int units;

    @Option(names = "--master", description = "Spark master (default: local[*]).")
    String master;

    @Option(names = "--verbose", description = "Show engine logs.")
    boolean verbose;

    @Override
    public Integer call() {
        SparkSession spark = SparkSessions.create(master, false);
        try {
            // β 1.5, η 1000 days, censored at 400 days: about 1 in 4 units fails
            Dataset<Row> lives = spark.range((long) groups * units).toDF("id")
                    .withColumn("product_model", concat(lit("G"), floor(col("id").divide(units)).cast("string")))
                    .withColumn("life", lit(1000.0).multiply(pow(log(lit(1.0).minus(rand(7))).multiply(-1), 1 / 1.5)))
                    .withColumn("t_days", least(col("life"), lit(400.0)).plus(lit(1e-6)))
                    .withColumn("failed", col("life").lt(400.0))
                    .withColumn("plant_id", lit("P1"))
                    .withColumn("build_month", lit(null).cast("string"))
                    .select("product_model", "plant_id", "build_month", "t_days", "failed")
                    .cache();
            long rows = lives.count();
            // scope ALL and PLANT are both fitted by the job: 2 fits per group
            long t0 = System.nanoTime();
            long fitted = ReliabilityTransforms.weibull(lives).filter(col("beta").isNotNull()).count();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("reliability-benchmark: %,d groups x %,d units (%,d rows): %,d fits in %.1f s = %,.0f groups/s, %,.0f rows/s (%d cores)%n",
                    groups, units, rows, fitted, secs, groups / secs, 2 * rows / secs, Runtime.getRuntime().availableProcessors());
            return 0;
        } finally {
            spark.stop();
        }
    }
}
