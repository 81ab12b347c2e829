package io.qualitylake.batch.suppliers;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code qlake batch suppliers}: gold.suspect_lots and gold.supplier_scorecards over every unit built
 * and installed up to as_of (period = the as_of month): lots are a current table, recomputed whenever an input or as_of changed.
 */
public final class SuppliersJob implements BatchJob {
    @Override
    public String name() {
        return "suppliers";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.List.of("silver.unit_service", "gold.suspect_lots", "gold.supplier_scorecards"); // the unit store, when run alone
    }

    @Override
    public String summary() {
        return "age-adjusted suspect lots (q-values) and supplier scorecards";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Timestamp end = ctx.end();
        io.qualitylake.batch.job.Scope scope = io.qualitylake.batch.job.Increments.decideWhole(spark, ctx,
                java.util.Arrays.stream(new SilverTable[] {SilverTable.PRODUCTION_UNITS, SilverTable.UNIT_COMPONENTS,
                        SilverTable.INSTALLS, SilverTable.FIELD_FAILURES})
                        .map(t -> io.qualitylake.batch.job.Increments.Input.wholesale("silver." + t.table(), ctx.lake().silver(t.table())))
                        .toList(),
                java.util.List.of(ctx.lake().gold("suspect_lots"), ctx.lake().gold("supplier_scorecards")));
        ctx.scope(scope);
        if (scope.isEmpty()) {
            return;
        }
        // per-unit lives, building plants and lots from the store the reliability job keeps (refreshed here if
        // this job runs alone): no join of every unit component with every unit
        Dataset<Row> lives = io.qualitylake.batch.reliability.ReliabilityTransforms.lives(
                io.qualitylake.batch.reliability.UnitStore.refresh(spark, ctx), end);
        Dataset<Row> lots = SupplierTransforms.suspectLots(lives).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            String period = ctx.asOf().toString().substring(0, 7);
            Tables.replaceTable(spark, ctx, "gold.suspect_lots", ctx.lake().gold("suspect_lots"), lots);
            // the scorecards cover every lot up to as_of: one current row per supplier, period = the as_of month
            Tables.replaceTable(spark, ctx, "gold.supplier_scorecards", ctx.lake().gold("supplier_scorecards"),
                    SupplierTransforms.scorecards(lots).withColumn("period", lit(period)));
            long flagged = lots.filter(col("flagged")).count();
            ctx.note("suspect_lots_flagged", String.valueOf(flagged));
        } finally {
            lots.unpersist();
        }
    }
}
