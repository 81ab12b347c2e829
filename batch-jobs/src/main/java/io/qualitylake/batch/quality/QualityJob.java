package io.qualitylake.batch.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Tables;
import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@code qlake batch quality}: gold.quality_kpis and gold.defect_pareto for every day and month up to as_of. */
public final class QualityJob implements BatchJob {
    @Override
    public String name() {
        return "quality";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        Timestamp end = ctx.end();
        Dataset<Row> units = upTo(SilverTable.PRODUCTION_UNITS.read(spark, ctx), end);
        Dataset<Row> defects = upTo(SilverTable.DEFECTS.read(spark, ctx), end);
        Dataset<Row> kpis = QualityTransforms.kpis(units,
                SilverTable.UNIT_COMPONENTS.read(spark, ctx), defects,
                upTo(SilverTable.MEASUREMENTS.read(spark, ctx), end),
                upTo(SilverTable.SPOT_CHECKS.read(spark, ctx), end),
                upTo(SilverTable.FIELD_FAILURES.read(spark, ctx), end),
                Tables.read(spark, ctx, "silver." + Dimension.PRODUCTS.table(), ctx.lake().silver(Dimension.PRODUCTS.table()),
                        Dimension.PRODUCTS.schema()));
        Tables.replaceSlice(spark, ctx, "gold.quality_kpis", ctx.lake().gold("quality_kpis"), kpis);
        Tables.replaceSlice(spark, ctx, "gold.defect_pareto", ctx.lake().gold("defect_pareto"), QualityTransforms.pareto(defects));
    }

    private static Dataset<Row> upTo(Dataset<Row> rows, Timestamp end) {
        return rows.filter(col("event_time").lt(lit(end)));
    }
}
