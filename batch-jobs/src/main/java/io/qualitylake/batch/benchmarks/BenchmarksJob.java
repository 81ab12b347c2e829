package io.qualitylake.batch.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.grading.FieldExposure;
import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code qlake batch benchmarks}: gold.plant_benchmarks and gold.cluster_rankings for every month up to as_of. */
public final class BenchmarksJob implements BatchJob {
    @Override
    public String name() {
        return "benchmarks";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Timestamp end = ctx.end();
        Dataset<Row> units = SilverTable.PRODUCTION_UNITS.read(spark, ctx).filter(col("event_time").lt(lit(end)));
        Dataset<Row> exposure = FieldExposure.lineMonths(units, SilverTable.INSTALLS.read(spark, ctx),
                SilverTable.FIELD_FAILURES.read(spark, ctx), end);
        Dataset<Row> plantKpis = BenchmarkTransforms.plantKpis(
                Tables.goldSlice(spark, ctx, "quality_kpis", "quality"),
                Tables.goldSlice(spark, ctx, "process_capability", "capability"),
                exposure, SilverTable.MEASUREMENTS.read(spark, ctx).filter(col("event_time").lt(lit(end))),
                SilverTable.SPOT_CHECKS.read(spark, ctx).filter(col("event_time").lt(lit(end))), Dimension.PRODUCTS.read(spark, ctx));
        Tables.replaceSlice(spark, ctx, "gold.plant_benchmarks", ctx.lake().gold("plant_benchmarks"),
                BenchmarkTransforms.plantBenchmarks(plantKpis));
        Tables.replaceSlice(spark, ctx, "gold.cluster_rankings", ctx.lake().gold("cluster_rankings"),
                BenchmarkTransforms.clusterRankings(Tables.goldSlice(spark, ctx, "line_grades", "grading"),
                        Dimension.PLANTS.read(spark, ctx), Dimension.ENTERPRISES.read(spark, ctx)));
    }
}
