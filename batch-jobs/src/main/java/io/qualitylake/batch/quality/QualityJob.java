package io.qualitylake.batch.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.Increments;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Scope;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code qlake batch quality}: gold.quality_kpis and gold.defect_pareto for every day and month up to
 * as_of, recomputing only the months whose events changed since the last run: new, late or restating
 * production events, and field failures (claims count as external loss of the month the unit was built:
 * such a month keeps its production figures and gets its loss figures anew).
 */
public final class QualityJob implements BatchJob {
    @Override
    public String name() {
        return "quality";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.List.of("gold.quality_kpis", "gold.defect_pareto");
    }

    @Override
    public String summary() {
        return "quality KPIs per line, model, day and month; defect Pareto";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Timestamp end = ctx.end();
        List<String> outputs = List.of(ctx.lake().gold("quality_kpis"), ctx.lake().gold("defect_pareto"));
        // months whose production events changed are recomputed whole; months that only got new claims
        // of their units keep their production figures and get external loss and quality-loss rate anew
        Scope production = Increments.decide(spark, ctx, productionInputs(spark, ctx), outputs);
        Scope claims = Increments.decide(spark, ctx, List.of(silver(ctx, SilverTable.FIELD_FAILURES, buildMonth(spark, ctx))), outputs);
        Scope scope = production.isAll() || claims.isAll() ? Scope.all(production.isAll() ? production.reason() : claims.reason())
                : production.plus(claims.months(), "claims of units built then");
        ctx.scope(scope);
        if (scope.isEmpty()) {
            return;
        }
        java.util.Set<String> claimsOnly = new java.util.TreeSet<>(scope.months());
        claimsOnly.removeAll(production.months());
        Dataset<Row> allUnits = upTo(SilverTable.PRODUCTION_UNITS.read(spark, ctx), end);
        Dataset<Row> failures = upTo(SilverTable.FIELD_FAILURES.read(spark, ctx), end);
        Scope recompute = scope.isAll() ? scope : Scope.months(production.months(), production.reason());
        Dataset<Row> defects = inScope(upTo(SilverTable.DEFECTS.read(spark, ctx), end), recompute);
        Dataset<Row> kpis = QualityTransforms.kpis(inScope(allUnits, recompute), allUnits,
                inScope(SilverTable.UNIT_COMPONENTS.read(spark, ctx), recompute), defects,
                inScope(upTo(SilverTable.MEASUREMENTS.read(spark, ctx), end), recompute),
                inScope(upTo(SilverTable.SPOT_CHECKS.read(spark, ctx), end), recompute),
                failures, Dimension.PRODUCTS.read(spark, ctx));
        if (!claimsOnly.isEmpty()) {
            Scope only = Scope.months(claimsOnly, "claims");
            Dataset<Row> current = Tables.current(spark, ctx, "gold.quality_kpis", ctx.lake().gold("quality_kpis"))
                    .filter(only.covers(col(Tables.PERIOD_MONTH))).drop(Tables.AS_OF, Tables.RUN_ID, Tables.PERIOD_MONTH);
            kpis = kpis.unionByName(QualityTransforms.withExternalLoss(current,
                    QualityTransforms.externalLoss(failures, inScope(allUnits, only))));
        }
        Tables.replaceMonths(spark, ctx, "gold.quality_kpis", ctx.lake().gold("quality_kpis"), kpis, Tables.monthOfPeriod("period"));
        Tables.replaceMonths(spark, ctx, "gold.defect_pareto", ctx.lake().gold("defect_pareto"), QualityTransforms.pareto(defects),
                Tables.monthOfPeriod("period"), recompute);
    }

    /** A field failure restates the month its unit was built (its claim is external loss of that month). */
    private static java.util.function.Function<Dataset<Row>, Dataset<Row>> buildMonth(SparkSession spark, JobContext ctx) {
        return changes -> monthsOfSerials(spark, changes, ctx.lake().silver(SilverTable.PRODUCTION_UNITS.table()));
    }

    /** The months of the rows of the silver table at {@code path} whose serial_no is among the changed rows'. */
    private static Dataset<Row> monthsOfSerials(SparkSession spark, Dataset<Row> changes, String path) {
        return changes.select("serial_no").distinct()
                .join(spark.read().format("delta").load(path).select("serial_no", "event_date"), "serial_no")
                .select(org.apache.spark.sql.functions.date_format(col("event_date"), "yyyy-MM"));
    }

    /**
     * A unit's record restates its build month and every month one of its defects happened in (a defect
     * counts only with its unit: a late unit record brings its defects back); production events restate the
     * months they happened in; a products change restates everything.
     */
    static List<Increments.Input> productionInputs(SparkSession spark, JobContext ctx) {
        return List.of(
                silver(ctx, SilverTable.PRODUCTION_UNITS, unitAndDefectMonths(spark, ctx)),
                silver(ctx, SilverTable.UNIT_COMPONENTS, Increments.monthOf("event_date")),
                silver(ctx, SilverTable.DEFECTS, Increments.monthOf("event_date")),
                silver(ctx, SilverTable.MEASUREMENTS, Increments.monthOf("event_date")),
                silver(ctx, SilverTable.SPOT_CHECKS, Increments.monthOf("event_date")),
                Increments.Input.wholesale("silver." + Dimension.PRODUCTS.table(), ctx.lake().silver(Dimension.PRODUCTS.table())));
    }

    private static java.util.function.Function<Dataset<Row>, Dataset<Row>> unitAndDefectMonths(SparkSession spark, JobContext ctx) {
        String defectsPath = ctx.lake().silver(SilverTable.DEFECTS.table());
        return changes -> {
            Dataset<Row> own = Increments.monthOf("event_date").apply(changes);
            return Tables.exists(spark, defectsPath) ? own.union(monthsOfSerials(spark, changes, defectsPath)) : own;
        };
    }

    static Increments.Input silver(JobContext ctx, SilverTable t, java.util.function.Function<Dataset<Row>, Dataset<Row>> months) {
        return new Increments.Input("silver." + t.table(), ctx.lake().silver(t.table()), months);
    }

    private static Dataset<Row> inScope(Dataset<Row> rows, Scope scope) {
        return rows.filter(scope.coversDate(col("event_date")));
    }

    private static Dataset<Row> upTo(Dataset<Row> rows, Timestamp end) {
        return rows.filter(col("event_time").lt(lit(end)));
    }
}
