package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** {@code qlake batch reliability}: reliability_summary, reliability_weibull, reliability_km, warranty_mis,
 * warranty_forecast, reliability_mcf, reliability_growth. */
public final class ReliabilityJob implements BatchJob {
    @Override
    public String name() {
        return "reliability";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.List.of("silver.unit_service", "gold.reliability_summary", "gold.reliability_weibull", "gold.reliability_km", "gold.warranty_mis", "gold.warranty_forecast", "gold.reliability_mcf", "gold.reliability_growth");
    }

    @Override
    public String summary() {
        return "life models, AFR/MTBF, Weibull, Kaplan-Meier, warranty months-in-service and forecast, MCF and Crow-AMSAA, from the per-unit store";
    }

    static io.qualitylake.batch.job.Increments.Input silverInput(JobContext ctx, String table) {
        return io.qualitylake.batch.job.Increments.Input.wholesale("silver." + table, ctx.lake().silver(table));
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Timestamp end = ctx.end();
        // censoring moves with as_of: every group is refitted when anything changed (from one row per unit)
        io.qualitylake.batch.job.Scope scope = io.qualitylake.batch.job.Increments.decideWhole(spark, ctx, java.util.List.of(
                silverInput(ctx, SilverTable.INSTALLS.table()), silverInput(ctx, SilverTable.FIELD_FAILURES.table()),
                silverInput(ctx, SilverTable.PRODUCTION_UNITS.table()), silverInput(ctx, Dimension.PRODUCTS.table())),
                java.util.List.of(ctx.lake().gold("reliability_weibull"), ctx.lake().gold("reliability_summary"),
                        ctx.lake().gold("reliability_km"), ctx.lake().gold("warranty_mis"), ctx.lake().gold("reliability_mcf"),
                        ctx.lake().gold("reliability_growth"), ctx.lake().gold("warranty_forecast")));
        ctx.scope(scope);
        if (scope.isEmpty()) {
            return;
        }
        Dataset<Row> failures = SilverTable.FIELD_FAILURES.read(spark, ctx);
        Dataset<Row> products = Tables.read(spark, ctx, "silver." + Dimension.PRODUCTS.table(),
                ctx.lake().silver(Dimension.PRODUCTS.table()), Dimension.PRODUCTS.schema());

        // materialised once (localCheckpoint: measured 1-2 s for 1.85 M units, where building Spark's
        // compressed in-memory cache took 7-10 s) and read by every model below
        Dataset<Row> lives = ReliabilityTransforms.withProductDefaults(
                ReliabilityTransforms.lives(UnitStore.refresh(spark, ctx).drop("lots"), end), products).localCheckpoint();
        long defaulted = lives.filter(col("defaulted")).count(); // a cheap pass over the materialised rows
        ctx.note("units_with_product_defaults", Long.toString(defaulted));
        Dataset<Row> fits = ReliabilityTransforms.weibull(lives).persist(StorageLevel.MEMORY_AND_DISK());
        Tables.replaceSlice(spark, ctx, "gold.reliability_weibull", ctx.lake().gold("reliability_weibull"), fits);

        Dataset<Row> plantFits = fits.filter(col("scope").isin("ALL", "PLANT"))
                .withColumn("plant_id", org.apache.spark.sql.functions.coalesce(col("scope_value"), lit("ALL")))
                .select(col("product_model"), col("plant_id"), col("beta").as("weibull_beta"), col("eta_days").as("weibull_eta_days"),
                        col("b10_days"), col("mttf_days"), col("failure_pattern"));
        Dataset<Row> summary = ReliabilityTransforms.summary(lives, col("plant_id"))
                .unionByName(ReliabilityTransforms.summary(lives, lit("ALL")))
                .join(plantFits, new String[] {"product_model", "plant_id"}, "left");
        Tables.replaceSlice(spark, ctx, "gold.reliability_summary", ctx.lake().gold("reliability_summary"), summary);
        Tables.replaceSlice(spark, ctx, "gold.reliability_km", ctx.lake().gold("reliability_km"), ReliabilityTransforms.kaplanMeier(lives));
        Tables.replaceSlice(spark, ctx, "gold.warranty_mis", ctx.lake().gold("warranty_mis"),
                ReliabilityTransforms.warrantyMis(lives, failures, end));
        Tables.replaceSlice(spark, ctx, "gold.warranty_forecast", ctx.lake().gold("warranty_forecast"),
                WarrantyForecastTransforms.forecast(lives, ctx.asOf()));
        Dataset<Row> systems = RepairableTransforms.systems(lives, failures, end).localCheckpoint();
        Tables.replaceSlice(spark, ctx, "gold.reliability_mcf", ctx.lake().gold("reliability_mcf"), RepairableTransforms.mcf(systems));
        Tables.replaceSlice(spark, ctx, "gold.reliability_growth", ctx.lake().gold("reliability_growth"), RepairableTransforms.growth(systems));
        fits.unpersist();
    }
}
