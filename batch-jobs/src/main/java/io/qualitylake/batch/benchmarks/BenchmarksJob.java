package io.qualitylake.batch.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.grading.FieldExposure;
import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.Increments;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Scope;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.MeasurementCounts;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code qlake batch benchmarks}: gold.plant_benchmarks and gold.cluster_rankings per month up to
 * as_of, recomputing only the months whose inputs changed (a benchmark compares plants within one month).
 */
public final class BenchmarksJob implements BatchJob {
    @Override
    public String name() {
        return "benchmarks";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.List.of("silver.measurement_counts", "silver.unit_service", "gold.plant_benchmarks", "gold.cluster_rankings");
    }

    @Override
    public String summary() {
        return "plant KPIs against their peer group; cluster rankings";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Scope scope = Increments.decide(spark, ctx, inputs(ctx),
                List.of(ctx.lake().gold("plant_benchmarks"), ctx.lake().gold("cluster_rankings")));
        ctx.scope(scope);
        if (scope.isEmpty()) {
            return;
        }
        Timestamp end = ctx.end();
        Dataset<Row> units = SilverTable.PRODUCTION_UNITS.read(spark, ctx).filter(col("event_time").lt(lit(end)));
        Dataset<Row> exposure = FieldExposure.fromUnitStore(io.qualitylake.batch.reliability.UnitStore.refresh(spark, ctx), units,
                SilverTable.FIELD_FAILURES.read(spark, ctx), end, scope);
        Dataset<Row> measurements = MeasurementCounts.refresh(spark, ctx); // per-day counts, not the measurements
        Dataset<Row> plantKpis = BenchmarkTransforms.plantKpis(
                Tables.gold(spark, ctx, "quality_kpis", "quality"),
                Tables.gold(spark, ctx, "process_capability", "capability"),
                exposure, measurements,
                SilverTable.SPOT_CHECKS.read(spark, ctx).filter(col("event_time").lt(lit(end))), Dimension.PRODUCTS.read(spark, ctx));
        Tables.replaceMonths(spark, ctx, "gold.plant_benchmarks", ctx.lake().gold("plant_benchmarks"),
                BenchmarkTransforms.plantBenchmarks(plantKpis), col("period"));
        Tables.replaceMonths(spark, ctx, "gold.cluster_rankings", ctx.lake().gold("cluster_rankings"),
                BenchmarkTransforms.clusterRankings(Tables.gold(spark, ctx, "line_grades", "grading"),
                        Dimension.PLANTS.read(spark, ctx), Dimension.ENTERPRISES.read(spark, ctx)), col("period"));
    }

    static List<Increments.Input> inputs(JobContext ctx) {
        List<Increments.Input> in = new ArrayList<>(List.of(Increments.Input.gold(ctx, "quality_kpis"),
                Increments.Input.gold(ctx, "process_capability"), Increments.Input.gold(ctx, "line_grades")));
        for (SilverTable t : List.of(SilverTable.MEASUREMENTS, SilverTable.SPOT_CHECKS, SilverTable.FIELD_FAILURES)) {
            in.add(new Increments.Input("silver." + t.table(), ctx.lake().silver(t.table()), Increments.monthOf("event_date")));
        }
        // plant AFR's exposure: a unit record counts from its unit's install month on, an install from its month on
        for (SilverTable t : List.of(SilverTable.PRODUCTION_UNITS, SilverTable.INSTALLS)) {
            in.add(new Increments.Input("silver." + t.table(), ctx.lake().silver(t.table()), Increments.monthOf("event_date")).onwards());
        }
        for (Dimension d : List.of(Dimension.PRODUCTS, Dimension.PLANTS, Dimension.ENTERPRISES)) {
            in.add(Increments.Input.wholesale("silver." + d.table(), ctx.lake().silver(d.table())));
        }
        return in;
    }
}
