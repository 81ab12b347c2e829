package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.expr;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Scope;
import io.qualitylake.batch.job.Tables;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code silver.measurement_subgroups}: one row per plant × line × characteristic × subgroup (size,
 * mean, Σ squared deviations, range, first time, spec) — pass 1 of the capability job, kept so a daily
 * run summarises only the measurements of the months in scope instead of all history. Partitioned by
 * the month of the subgroup's first measurement.
 */
public final class SubgroupStore {
    public static final String TABLE = "measurement_subgroups";
    static final String MONTH = "month";

    private SubgroupStore() {}

    public static String path(JobContext ctx) {
        return ctx.lake().silver(TABLE);
    }

    /**
     * Brings the store up to date for {@code scope} from {@code measurements} (already cut at as_of)
     * and returns every subgroup before the cut-off, with the {@code month} partition column (a filter on
     * it reads only those months' files). A month's subgroups are rebuilt with the day before
     * it and the day after it read too, so a subgroup that straddles midnight at a month's edge is whole.
     */
    public static Dataset<Row> refresh(SparkSession spark, JobContext ctx, Scope scope, Dataset<Row> measurements) {
        String path = path(ctx);
        if (scope.isAll() || !Tables.exists(spark, path)) {
            CapabilityTransforms.subgroups(measurements).withColumn(MONTH, date_format(col("time"), "yyyy-MM"))
                    .write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
                    .partitionBy(MONTH).save(path);
        } else if (!scope.isEmpty()) {
            List<String> read = new ArrayList<>();
            List<String> keep = new ArrayList<>();
            List<String> partitions = new ArrayList<>();
            for (String m : scope.months()) {
                YearMonth ym = YearMonth.parse(m);
                String from = ym.atDay(1).minusDays(1).toString();
                String to = ym.plusMonths(1).atDay(1).toString();
                read.add("(event_date >= DATE'" + from + "' AND event_date <= DATE'" + to + "')");
                keep.add("(time >= TIMESTAMP'" + from + " 00:00:00' AND time < TIMESTAMP'" + to + " 00:00:00')");
                partitions.add("'" + ym.minusMonths(1) + "'");
                partitions.add("'" + m + "'");
            }
            String replace = MONTH + " IN (" + String.join(",", partitions) + ") AND (" + String.join(" OR ", keep) + ")";
            CapabilityTransforms.subgroups(measurements.filter(expr(String.join(" OR ", read))))
                    .withColumn(MONTH, date_format(col("time"), "yyyy-MM"))
                    .filter(expr(replace))
                    .write().format("delta").mode(SaveMode.Overwrite).option("replaceWhere", replace).save(path);
        }
        Tables.recordWrite(spark, ctx, "silver." + TABLE, path);
        return spark.read().format("delta").load(path).filter(col("time").lt(org.apache.spark.sql.functions.lit(ctx.end())));
    }
}
