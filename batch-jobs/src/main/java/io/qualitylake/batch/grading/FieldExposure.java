package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;

import io.qualitylake.batch.reliability.ReliabilityTransforms;
import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Field exposure per line and calendar month, for AFR in a period (SPEC §4: afr_pct = failures ÷
 * (unit_days/365) × 100): every installed unit contributes the days of the month it was in service
 * (install to the as_of end; a failure does not end service, as all failures count in AFR), and each
 * failure counts in the month it happened. Units are attributed to the line that built them (the
 * production record with the smallest plant, line and model, should a unit have two).
 */
public final class FieldExposure {
    private FieldExposure() {}

    /**
     * @return plant_id, line_id, product_model, period (yyyy-MM), unit_days, failures
     */
    public static Dataset<Row> lineMonths(Dataset<Row> units, Dataset<Row> installs, Dataset<Row> failures, Timestamp end) {
        return lineMonths(units, installs, failures, end, io.qualitylake.batch.job.Scope.all("every month"));
    }

    /**
     * As above for the months of {@code scope} only.
     *
     * <p>Exposure is summed in closed form, not unit by unit: the units installed in one month (per
     * line and model) are counted ({@code n}) and their install times summed ({@code Σt}, epoch
     * seconds). A month M with end E = min(month end, as_of end) then gets, from every earlier install
     * month, n × (E − start of M) seconds, and from its own installs n × E − Σt. That is the sum of
     * min(E, ·) − max(installed, start of M) over the units, in whole seconds as before, so a daily run
     * costs one grouping of the installs, not an explosion of every unit over every month it has been
     * in service.
     */
    public static Dataset<Row> lineMonths(Dataset<Row> units, Dataset<Row> installs, Dataset<Row> failures, Timestamp end,
                                          io.qualitylake.batch.job.Scope scope) {
        Dataset<Row> firstInstall = installs.filter(col("event_time").lt(lit(end)))
                .groupBy("serial_no").agg(min("event_time").as("installed"));
        Dataset<Row> builtBy = units.groupBy("serial_no").agg(ReliabilityTransforms.buildingRecord(units).as("b"));
        return fromInstalled(firstInstall.join(builtBy, "serial_no")
                .select(col("serial_no"), col("installed"), col("b.plant_id").as("plant_id"), col("b.line_id").as("line_id"),
                        col("b.product_model").as("product_model")), units, failures, end, scope);
    }

    /**
     * As above from the per-unit store ({@code silver.unit_service}, brought up to this run's cut-off):
     * its first install and building line per unit replace grouping every install and joining every
     * production record, the bulk of a daily run's exposure work.
     *
     * @param unitStore {@link io.qualitylake.batch.reliability.UnitStore#refresh} (installed_at, built_*)
     * @param units     silver.production_units before the cut-off (the failures' lines)
     */
    public static Dataset<Row> fromUnitStore(Dataset<Row> unitStore, Dataset<Row> units, Dataset<Row> failures, Timestamp end,
                                             io.qualitylake.batch.job.Scope scope) {
        return fromInstalled(unitStore.filter(col("built_plant").isNotNull().and(col("built_at").lt(lit(end)))
                        .and(col("installed_at").lt(lit(end))))
                .select(col("serial_no"), col("installed_at").as("installed"), col("built_plant").as("plant_id"),
                        col("built_line").as("line_id"), col("built_model").as("product_model")), units, failures, end, scope);
    }

    /**
     * @param installed one row per installed unit: serial_no, installed (first install before end), and
     *                  plant_id, line_id, product_model of the line that built it
     */
    private static Dataset<Row> fromInstalled(Dataset<Row> installed, Dataset<Row> units, Dataset<Row> failures, Timestamp end,
                                           io.qualitylake.batch.job.Scope scope) {
        org.apache.spark.sql.Column from = col("install_month");
        if (!scope.isAll()) {
            from = greatest(from, lit(java.sql.Date.valueOf(java.time.YearMonth.parse(
                    scope.months().isEmpty() ? "9999-12" : scope.firstMonth()).atDay(1))));
        }
        java.sql.Date lastMonth = java.sql.Date.valueOf(end.toInstant().minusMillis(1).atZone(java.time.ZoneOffset.UTC)
                .toLocalDate().withDayOfMonth(1));
        Dataset<Row> built = units.select("serial_no", "plant_id", "line_id", "product_model");
        org.apache.spark.sql.Column monthStart = unix_timestamp(col("month").cast("timestamp"));
        org.apache.spark.sql.Column monthEnd = unix_timestamp(least(lit(end), expr("cast(add_months(month, 1) as timestamp)")));
        Dataset<Row> months = installed
                .groupBy(col("plant_id"), col("line_id"), col("product_model"),
                        org.apache.spark.sql.functions.trunc(col("installed"), "MM").as("install_month"))
                .agg(count(lit(1)).as("n"), sum(unix_timestamp(col("installed"))).as("installed_sum"))
                .filter(from.leq(lit(lastMonth)))
                .withColumn("month", explode(org.apache.spark.sql.functions.sequence(from, lit(lastMonth), expr("interval 1 month"))))
                .filter(scope.covers(date_format(col("month"), "yyyy-MM")))
                .withColumn("seconds", org.apache.spark.sql.functions.when(col("install_month").lt(col("month")),
                                col("n").multiply(monthEnd.minus(monthStart)))
                        .otherwise(col("n").multiply(monthEnd).minus(col("installed_sum"))))
                .groupBy(col("plant_id"), col("line_id"), col("product_model"), date_format(col("month"), "yyyy-MM").as("period"))
                .agg(sum("seconds").as("seconds"))
                .filter(col("seconds").gt(0))
                .select(col("plant_id"), col("line_id"), col("product_model"), col("period"),
                        col("seconds").divide(86_400.0).as("unit_days"));
        // each failure once, on the line that built its unit (the smallest record, as for the installs)
        Dataset<Row> failed = failures.filter(col("event_time").lt(lit(end)).and(scope.covers(date_format(col("event_time"), "yyyy-MM"))))
                .groupBy("serial_no", "event_time").agg(count(lit(1)).as("n"))
                .join(built, "serial_no")
                .groupBy("serial_no", "event_time", "n")
                .agg(ReliabilityTransforms.buildingRecord(built).as("b"))
                .groupBy(col("b.plant_id").as("plant_id"), col("b.line_id").as("line_id"), col("b.product_model").as("product_model"),
                        date_format(col("event_time"), "yyyy-MM").as("period"))
                .agg(sum("n").as("failures"));
        return months.join(failed, new String[] {"plant_id", "line_id", "product_model", "period"}, "full_outer")
                .na().fill(0.0, new String[] {"unit_days"}).na().fill(0L, new String[] {"failures"});
    }

    /** afr_pct from summed unit_days and failures; null without exposure. */
    public static org.apache.spark.sql.Column afr(String unitDays, String failures) {
        return org.apache.spark.sql.functions.when(col(unitDays).gt(0),
                col(failures).divide(col(unitDays).divide(365.0)).multiply(100));
    }
}
