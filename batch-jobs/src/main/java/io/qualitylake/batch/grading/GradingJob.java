package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.Increments;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Scope;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.MeasurementCounts;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.cli.UserError;
import io.qualitylake.grading.GradingFiles;
import io.qualitylake.grading.Rubric;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code qlake batch grading}: gold.line_grades (rubric or entropy-weight TOPSIS) and
 * gold.enterprise_capability per month up to as_of, from the current quality and capability gold
 * tables and from silver. Only months whose inputs changed are recomputed, and the month after each
 * (a level compares a month with the one before); installs and gate spot checks affect every later month.
 */
public final class GradingJob implements BatchJob {
    public static final String RUBRIC_OPTION = "rubric";
    public static final String LEVELS_OPTION = "levels";
    public static final String METHOD_OPTION = "method";

    @Override
    public String name() {
        return "grading";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.List.of("silver.measurement_counts", "silver.unit_service", "gold.line_grades", "gold.enterprise_capability");
    }

    @Override
    public String summary() {
        return "line grades with intervals (rubric or TOPSIS) and enterprise capability levels";
    }

    public static String method(JobContext ctx) {
        String m = ctx.option(METHOD_OPTION, "rubric");
        if (!m.equals("rubric") && !m.equals("topsis")) {
            throw new UserError("--method must be rubric or topsis, got '" + m + "'");
        }
        return m;
    }

    @Override
    public String fingerprint(JobContext ctx) {
        return "method=" + method(ctx) + " rubric=" + GradingFiles.digest(ctx.option(RUBRIC_OPTION, null))
                + " levels=" + GradingFiles.digest(ctx.option(LEVELS_OPTION, null));
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Rubric rubric = Rubric.load(ctx.option(RUBRIC_OPTION, null));
        CapabilityLevels levels = CapabilityLevels.load(ctx.option(LEVELS_OPTION, null));
        String method = method(ctx);
        Scope scope = Increments.decide(spark, ctx, inputs(ctx),
                List.of(ctx.lake().gold("line_grades"), ctx.lake().gold("enterprise_capability"))).withFollowing(1, ctx.asOf());
        scope = scope.withFollowing(rubric.stability().maxWindow() - 1, ctx.asOf()); // issue 18: a grade pools its trailing window
        scope = scope.plus(LossMaturity.maturedBetween(ctx.previous() == null ? null : ctx.previous().asOf(), ctx.asOf()),
                "quality-loss comparison matured"); // SPEC §5: a level's loss criterion turns from pending to judged
        ctx.scope(scope);
        if (scope.isEmpty()) {
            return;
        }
        Timestamp end = ctx.end();
        Dataset<Row> kpis = Tables.gold(spark, ctx, "quality_kpis", "quality");
        Dataset<Row> capability = Tables.gold(spark, ctx, "process_capability", "capability");
        Dataset<Row> violations = Tables.gold(spark, ctx, "spc_violations", "capability").filter(col("subgroup_time").lt(lit(end)));
        Dataset<Row> units = upTo(SilverTable.PRODUCTION_UNITS.read(spark, ctx), end);
        Dataset<Row> installs = SilverTable.INSTALLS.read(spark, ctx);
        Dataset<Row> failures = SilverTable.FIELD_FAILURES.read(spark, ctx);
        Dataset<Row> spotChecks = upTo(SilverTable.SPOT_CHECKS.read(spark, ctx), end);
        Dataset<Row> products = Dimension.PRODUCTS.read(spark, ctx);
        // exposure of the months in scope and the one before each (levels compare a month with the previous)
        Dataset<Row> exposure = FieldExposure.fromUnitStore(io.qualitylake.batch.reliability.UnitStore.refresh(spark, ctx),
                        units, failures, end,
                        scope.withPreceding(Math.max(1, rubric.stability().maxWindow() - 1)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> defects = upTo(SilverTable.DEFECTS.read(spark, ctx), end);
            Dataset<Row> indicators = GradingTransforms.lineIndicators(kpis, capability, exposure, spotChecks, products,
                    LineEvidence.lossSquares(defects, upTo(failures, end), units), rubric);
            Dataset<Row> grades = method.equals("topsis") ? GradingTransforms.topsisGrades(indicators, rubric)
                    : GradingTransforms.rubricGrades(indicators, rubric);
            Tables.replaceMonths(spark, ctx, "gold.line_grades", ctx.lake().gold("line_grades"), grades, col("period"));

            // the measurements are the lake's bulk: the levels need only their per-day counts
            Dataset<Row> measurements = MeasurementCounts.refresh(spark, ctx);
            Dataset<Row> criteria = GradingTransforms.enterpriseCriteria(units, upTo(installs, end),
                    defects, measurements,
                    spotChecks, kpis, capability, violations, exposure, failures, end, Dimension.PLANTS.read(spark, ctx),
                    Dimension.ENTERPRISES.read(spark, ctx), scope.covers(col("period")));
            Tables.replaceMonths(spark, ctx, "gold.enterprise_capability", ctx.lake().gold("enterprise_capability"),
                    GradingTransforms.enterpriseLevels(criteria, levels), col("period"));
            ctx.note("grading", "method " + method + ", rubric '" + rubric.name() + "'");
        } finally {
            exposure.unpersist();
        }
    }

    static List<Increments.Input> inputs(JobContext ctx) {
        List<Increments.Input> in = new ArrayList<>(List.of(
                Increments.Input.gold(ctx, "quality_kpis"), Increments.Input.gold(ctx, "process_capability"),
                Increments.Input.gold(ctx, "spc_violations")));
        for (SilverTable t : List.of(SilverTable.DEFECTS, SilverTable.MEASUREMENTS, SilverTable.FIELD_FAILURES)) {
            in.add(new Increments.Input("silver." + t.table(), ctx.lake().silver(t.table()), Increments.monthOf("event_date")));
        }
        // a unit record (late, or restated) moves its unit's exposure and traceability from its install month on,
        // which may be months after its build month (LateUnitRecordIT)
        for (SilverTable t : List.of(SilverTable.PRODUCTION_UNITS, SilverTable.INSTALLS, SilverTable.SPOT_CHECKS)) {
            in.add(new Increments.Input("silver." + t.table(), ctx.lake().silver(t.table()), Increments.monthOf("event_date")).onwards());
        }
        for (Dimension d : List.of(Dimension.PRODUCTS, Dimension.PLANTS, Dimension.ENTERPRISES)) {
            in.add(Increments.Input.wholesale("silver." + d.table(), ctx.lake().silver(d.table())));
        }
        return in;
    }

    private static Dataset<Row> upTo(Dataset<Row> rows, Timestamp end) {
        return rows.filter(col("event_time").lt(lit(end)));
    }
}
