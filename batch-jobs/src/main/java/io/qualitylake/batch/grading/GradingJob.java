package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.cli.UserError;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code qlake batch grading}: gold.line_grades (rubric or entropy-weight TOPSIS) and
 * gold.enterprise_capability, per month up to as_of, from the quality and capability gold slices of
 * the same as_of and from silver.
 */
public final class GradingJob implements BatchJob {
    public static final String RUBRIC_OPTION = "rubric";
    public static final String LEVELS_OPTION = "levels";
    public static final String METHOD_OPTION = "method";

    @Override
    public String name() {
        return "grading";
    }

    public static String method(JobContext ctx) {
        String m = ctx.option(METHOD_OPTION, "rubric");
        if (!m.equals("rubric") && !m.equals("topsis")) {
            throw new UserError("--method must be rubric or topsis, got '" + m + "'");
        }
        return m;
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Rubric rubric = Rubric.load(ctx.option(RUBRIC_OPTION, null));
        CapabilityLevels levels = CapabilityLevels.load(ctx.option(LEVELS_OPTION, null));
        String method = method(ctx);
        Timestamp end = ctx.end();
        Dataset<Row> kpis = Tables.goldSlice(spark, ctx, "quality_kpis", "quality");
        Dataset<Row> capability = Tables.goldSlice(spark, ctx, "process_capability", "capability");
        // a stable process has no violations: an empty slice is an answer
        Dataset<Row> violations = Tables.goldSlice(spark, ctx, "spc_violations", "capability", true)
                .filter(col("subgroup_time").lt(lit(end)));
        Dataset<Row> units = upTo(SilverTable.PRODUCTION_UNITS.read(spark, ctx), end);
        Dataset<Row> installs = SilverTable.INSTALLS.read(spark, ctx);
        Dataset<Row> failures = SilverTable.FIELD_FAILURES.read(spark, ctx);
        Dataset<Row> spotChecks = upTo(SilverTable.SPOT_CHECKS.read(spark, ctx), end);
        Dataset<Row> products = Dimension.PRODUCTS.read(spark, ctx);
        Dataset<Row> exposure = FieldExposure.lineMonths(units, installs, failures, end).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> indicators = GradingTransforms.lineIndicators(kpis, capability, exposure, spotChecks, products, rubric);
            Dataset<Row> grades = method.equals("topsis") ? GradingTransforms.topsisGrades(indicators, rubric)
                    : GradingTransforms.rubricGrades(indicators, rubric);
            Tables.replaceSlice(spark, ctx, "gold.line_grades", ctx.lake().gold("line_grades"), grades);

            Dataset<Row> criteria = GradingTransforms.enterpriseCriteria(units, upTo(installs, end),
                    upTo(SilverTable.DEFECTS.read(spark, ctx), end), upTo(SilverTable.MEASUREMENTS.read(spark, ctx), end),
                    spotChecks, kpis, capability, violations, exposure, Dimension.PLANTS.read(spark, ctx),
                    Dimension.ENTERPRISES.read(spark, ctx));
            Tables.replaceSlice(spark, ctx, "gold.enterprise_capability", ctx.lake().gold("enterprise_capability"),
                    GradingTransforms.enterpriseLevels(criteria, levels));
            ctx.note("grading", "method " + method + ", rubric '" + rubric.name() + "'");
        } finally {
            exposure.unpersist();
        }
    }

    private static Dataset<Row> upTo(Dataset<Row> rows, Timestamp end) {
        return rows.filter(col("event_time").lt(lit(end)));
    }
}
