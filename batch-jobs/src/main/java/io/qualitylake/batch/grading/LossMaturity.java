package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * EXCELLENCE's quality-loss criterion at equal maturity (SPEC §5): a month's loss is its internal
 * loss plus the claims of the units built in it that came within {@value #MATURITY_DAYS} days of
 * build, over its output value; a month is compared with the one before only once
 * {@value #MATURITY_DAYS} days have passed since its end (until then the criterion's met is null,
 * with a note saying from when it will be judged).
 */
public final class LossMaturity {
    private LossMaturity() {}

    public static final int MATURITY_DAYS = 90;

    /** The first instant at which month {@code period}'s loss is mature: its end plus 90 days. */
    public static LocalDate matureOn(String period) {
        return YearMonth.parse(period).plusMonths(1).atDay(1).plusDays(MATURITY_DAYS);
    }

    /**
     * Months that became mature after the previous cut-off and by this one: their rows change
     * without any new input, so a run must recompute them.
     */
    public static Set<String> maturedBetween(LocalDate previousAsOf, LocalDate asOf) {
        Set<String> out = new TreeSet<>();
        if (previousAsOf == null) {
            return out;
        }
        // a month M matures on (end of M) + 90 days; the cut-off D covers events before D + 1
        for (YearMonth m = YearMonth.from(previousAsOf.minusDays(MATURITY_DAYS + 31)); !m.isAfter(YearMonth.from(asOf)); m = m.plusMonths(1)) {
            LocalDate due = matureOn(m.toString());
            if (due.isAfter(previousAsOf.plusDays(1)) && !due.isAfter(asOf.plusDays(1))) {
                out.add(m.toString());
            }
        }
        return out;
    }

    /**
     * Per enterprise × month: quality_loss_rate (matured), quality_loss_rate_change against the
     * previous month, and quality_loss_note (null once the comparison is mature).
     *
     * @param kpis         gold.quality_kpis (internal_loss, output_value per plant and month)
     * @param units        silver production units (serial_no, event_time = build)
     * @param failures     silver field failures (serial_no, event_time, claim_cost)
     * @param end          the as_of end instant
     * @param toEnterprise adds enterprise_id from plant_id
     */
    public static Dataset<Row> enterpriseMonths(Dataset<Row> kpis, Dataset<Row> units, Dataset<Row> failures, Timestamp end,
                                                UnaryOperator<Dataset<Row>> toEnterprise) {
        String[] k = {"enterprise_id", "period"};
        Dataset<Row> production = toEnterprise.apply(kpis.filter(col("period_type").equalTo("MONTH")))
                .groupBy("enterprise_id", "period")
                .agg(sum("internal_loss").as("internal_loss"), sum("output_value").as("output_value"));
        Dataset<Row> claims = toEnterprise.apply(failures.filter(col("event_time").lt(lit(end)))
                        .select(col("serial_no"), col("event_time").as("failed_at"), col("claim_cost"))
                        .join(units.select("serial_no", "plant_id", "event_time"), "serial_no")
                        .filter(unix_timestamp(col("failed_at")).minus(unix_timestamp(col("event_time"))).leq(MATURITY_DAYS * 86_400L)))
                .withColumn("period", date_format(col("event_time"), "yyyy-MM"))
                .groupBy("enterprise_id", "period").agg(sum("claim_cost").as("claims_90d"));
        LocalDate endDate = end.toInstant().atZone(ZoneOffset.UTC).toLocalDate();
        // mature when (month end + 90 days) <= the end instant's date (end is as_of + 1 at 00:00Z)
        org.apache.spark.sql.Column due = org.apache.spark.sql.functions.date_add(
                org.apache.spark.sql.functions.add_months(org.apache.spark.sql.functions.to_date(
                        org.apache.spark.sql.functions.concat(col("period"), lit("-01"))), 1), MATURITY_DAYS);
        return production.join(claims, k, "left")
                .withColumn("mature", due.leq(lit(java.sql.Date.valueOf(endDate))))
                .withColumn("qlr_mature", when(col("output_value").gt(0),
                        col("internal_loss").plus(coalesce(col("claims_90d"), lit(0.0))).divide(col("output_value")).multiply(100)))
                .withColumn("prev_qlr", lag("qlr_mature", 1).over(Window.partitionBy("enterprise_id").orderBy("period")))
                .withColumn("quality_loss_rate", when(col("mature"), col("qlr_mature")))
                .withColumn("quality_loss_rate_change", when(col("mature").and(col("prev_qlr").gt(0)),
                        col("qlr_mature").minus(col("prev_qlr")).divide(col("prev_qlr"))))
                .withColumn("quality_loss_note", when(col("mature").equalTo(false), org.apache.spark.sql.functions.concat(
                        lit("loss of the period (internal + claims within " + MATURITY_DAYS + " days of build) is compared once "
                                + MATURITY_DAYS + " days have passed since its end: from "),
                        date_format(org.apache.spark.sql.functions.date_sub(due, 1), "yyyy-MM-dd"))))
                .select("enterprise_id", "period", "quality_loss_rate", "quality_loss_rate_change", "quality_loss_note");
    }
}
