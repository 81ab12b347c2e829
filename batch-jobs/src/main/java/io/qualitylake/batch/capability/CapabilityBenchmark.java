package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.randn;
import static org.apache.spark.sql.functions.timestamp_seconds;

import io.qualitylake.batch.spark.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qlake capability-benchmark}: the capability job's passes over a large generated month of
 * measurements (N characteristics × M subgroups of 5, normal values), timed pass by pass: the
 * subgroup aggregation (cost ∝ measurements) and the per-characteristic analysis (∝ subgroups).
 */
@Command(name = "capability-benchmark", mixinStandardHelpOptions = true,
        description = "Time the capability job's two passes over generated measurements; prints rows/second.")
public class CapabilityBenchmark implements Callable<Integer> {
    @Option(names = "--characteristics", defaultValue = "2000", description = "Characteristics (default: ${DEFAULT-VALUE}).")
    int characteristics;

    @Option(names = "--subgroups", defaultValue = "240", description = "Subgroups of 5 per characteristic: a month at 8/day (default: ${DEFAULT-VALUE}).")
    int subgroups;

    @Option(names = "--master", description = "Spark master (default: local[*]).")
    String master;

    @Option(names = "--verbose", description = "Show engine logs.")
    boolean verbose;

    @Override
    public Integer call() {
        SparkSession spark = SparkSessions.create(master, false);
        try {
            long rows = (long) characteristics * subgroups * 5;
            Dataset<Row> measurements = spark.range(rows).toDF("id")
                    .withColumn("sg", floor(col("id").divide(5)))
                    .withColumn("characteristic_id", concat(lit("C"), floor(col("sg").divide(subgroups)).cast("string")))
                    .withColumn("subgroup_id", col("sg").cast("string"))
                    .withColumn("plant_id", lit("P01")).withColumn("line_id", lit("P01-L1"))
                    .withColumn("value", lit(10.0).plus(randn(7).multiply(0.1)))
                    .withColumn("lsl", lit(9.5)).withColumn("usl", lit(10.5))
                    .withColumn("event_time", timestamp_seconds(lit(1_735_689_600L).plus(col("sg").mod(subgroups).multiply(10_800))))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            measurements.count();
            long t0 = System.nanoTime();
            Dataset<Row> perChar = CapabilityTransforms.perCharacteristic(CapabilityTransforms.subgroups(measurements))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            perChar.count();
            double pass1 = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            Dataset<Row> analysed = CapabilityTransforms.analyse(perChar, CapabilityJob.DEFAULT_BASELINE)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            analysed.count();
            double analysis = (System.nanoTime() - t1) / 1e9;
            long capRows = CapabilityTransforms.capability(analysed).count();
            long limitRows = CapabilityTransforms.limits(analysed).count();
            long flags = CapabilityTransforms.violations(analysed).count();
            double pass2 = (System.nanoTime() - t1) / 1e9;
            System.out.printf("capability-benchmark: %,d measurements (%,d characteristics x %,d subgroups of 5), %d cores%n",
                    rows, characteristics, subgroups, Runtime.getRuntime().availableProcessors());
            System.out.printf("  pass 1 subgroup summaries + gather: %.1f s = %,.0f measurements/s%n", pass1, rows / pass1);
            System.out.printf("  pass 2 capability, limits, rules:   %.1f s = %,.0f subgroups/s (analysis %.1f s; %,d capability rows, %,d limit rows, %,d violations)%n",
                    pass2, (double) characteristics * subgroups / pass2, analysis, capRows, limitRows, flags);
            System.out.printf("  total %.1f s = %,.0f measurements/s%n", pass1 + pass2, rows / (pass1 + pass2));
            return 0;
        } finally {
            spark.stop();
        }
    }
}
