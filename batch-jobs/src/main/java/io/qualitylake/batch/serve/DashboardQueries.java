package io.qualitylake.batch.serve;

import java.util.List;

/**
 * Ten typical dashboard queries over the gold tables, three users' worth (docs/bi.md shows the same SQL):
 * what {@code qlake serve-benchmark} times. Gold tables are current tables, so no query filters on as_of.
 */
public final class DashboardQueries {
    public record Query(String user, String name, String sql) {}

    private DashboardQueries() {}

    public static final List<Query> ALL = List.of(
            new Query("reliability analyst", "reliability overview",
                    "SELECT product_model, plant_id, units_in_service, failures, afr_pct, mtbf_hours, weibull_beta, b10_days, "
                            + "failure_pattern FROM gold.reliability_summary ORDER BY afr_pct DESC"),
            new Query("reliability analyst", "warranty claims curve",
                    "SELECT product_model, months_in_service, sum(claims) * 1000.0 / sum(units_exposed) AS claims_per_1000 "
                            + "FROM gold.warranty_mis GROUP BY product_model, months_in_service ORDER BY product_model, months_in_service"),
            new Query("reliability analyst", "flagged supplier lots",
                    "SELECT lot_id, supplier_id, component, observed_failures, expected_failures, q_value "
                            + "FROM gold.suspect_lots WHERE flagged ORDER BY q_value"),
            new Query("quality engineer", "monthly FPY and loss by line",
                    "SELECT period, plant_id, line_id, fpy, dpmo, quality_loss_rate FROM gold.quality_kpis "
                            + "WHERE period_type = 'MONTH' ORDER BY period, plant_id, line_id"),
            new Query("quality engineer", "top defects, latest month",
                    "SELECT plant_id, line_id, defect_code, defects, share, cum_share FROM gold.defect_pareto "
                            + "WHERE period_type = 'MONTH' AND rank <= 5 AND period = (SELECT max(period) FROM gold.defect_pareto "
                            + "WHERE period_type = 'MONTH') ORDER BY plant_id, line_id, rank"),
            new Query("quality engineer", "critical characteristics below Cpk 1.33",
                    "SELECT plant_id, line_id, characteristic_id, period, cpk, ppk, cpk_pct FROM gold.process_capability "
                            + "WHERE period_type = 'MONTH' AND critical AND coalesce(cpk_pct, cpk) < 1.33 "
                            + "ORDER BY coalesce(cpk_pct, cpk)"),
            new Query("quality engineer", "SPC violations by rule",
                    "SELECT plant_id, line_id, rule, count(*) AS violations FROM gold.spc_violations "
                            + "GROUP BY plant_id, line_id, rule ORDER BY violations DESC"),
            new Query("cluster platform", "grade distribution per month",
                    "SELECT period, grade, count(*) AS lines FROM gold.line_grades GROUP BY period, grade ORDER BY period, grade"),
            new Query("cluster platform", "cluster ranking",
                    "SELECT period, cluster_id, weighted_score, share_aa_or_better, rank FROM gold.cluster_rankings "
                            + "ORDER BY period DESC, rank"),
            new Query("cluster platform", "plant FPY benchmark",
                    "SELECT period, plant_id, value, percentile, quartile, gap_to_best FROM gold.plant_benchmarks "
                            + "WHERE kpi = 'fpy' ORDER BY period DESC, percentile DESC"));
}
