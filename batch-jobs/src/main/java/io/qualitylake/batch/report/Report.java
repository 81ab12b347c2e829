package io.qualitylake.batch.report;

import io.qualitylake.batch.format.HumanNumbers;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.sql.LakeCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.CategoryChart;

/**
 * The HTML report (SPEC §7 {@code qlake report}): one self-contained folder with index.html and
 * PNG charts, built from the current gold tables. Every section says where its
 * numbers come from, so an analyst can rerun the query in {@code qlake sql}. Sections whose tables
 * are missing say which job to run instead of failing.
 */
public final class Report {
    private final SparkSession spark;
    private final Path out;
    private final Set<String> tables = new TreeSet<>();
    private final StringBuilder body = new StringBuilder();
    private final List<String> missing = new ArrayList<>();
    private int sections;

    private Report(SparkSession spark, Path out) {
        this.spark = spark;
        this.out = out;
    }

    /** Writes {@code out/index.html} and its charts; returns the number of sections written (headings with data). */
    public static int write(SparkSession spark, Lake lake, Path out) throws Exception {
        Files.createDirectories(out);
        Report r = new Report(spark, out);
        for (LakeCatalog.Registered t : LakeCatalog.register(spark, lake)) {
            r.tables.add(t.name());
        }
        r.ingest();
        r.quality();
        r.spc();
        r.liveAlerts();
        r.reliability();
        r.depth();
        r.grades();
        r.suppliers();
        Files.writeString(out.resolve("index.html"), r.html(lake), StandardCharsets.UTF_8);
        return r.sections;
    }

    private boolean has(String table, String producer) {
        if (tables.contains(table)) {
            return true;
        }
        missing.add(table + " (run qlake " + producer + ")");
        return false;
    }

    private List<Row> sql(String q) {
        return spark.sql(q).collectAsList();
    }

    private static String latest(String table) {
        return "TRUE"; // gold tables hold current rows (SPEC §3): no as_of filter
    }

    private void ingest() {
        if (!has("ops.ingest_stats", "ingest")) {
            return;
        }
        section("Ingest accounting", "ops.ingest_stats: every record read is written, quarantined with a reason, or a dropped duplicate.");
        table(spark.sql("SELECT sum(records_read) AS read, sum(valid_written) AS written, sum(quarantined) AS quarantined, "
                + "sum(duplicates_dropped) AS duplicates, sum(late_events) AS late FROM ops.ingest_stats"));
    }

    private void quality() throws IOException {
        if (!has("gold.quality_kpis", "batch quality")) {
            return;
        }
        List<Row> rows = sql("SELECT plant_id, period, sum(first_pass_units) / sum(units) AS fpy FROM gold.quality_kpis "
                + "WHERE period_type = 'MONTH' AND " + latest("gold.quality_kpis") + " GROUP BY plant_id, period ORDER BY period");
        List<String> months = new ArrayList<>(new TreeSet<>(rows.stream().map(r -> r.getString(1)).toList()));
        Map<String, List<Double>> series = new LinkedHashMap<>();
        rows.stream().map(r -> r.getString(0)).sorted().distinct().forEach(p -> {
            List<Double> ys = new ArrayList<>();
            for (String m : months) {
                ys.add(rows.stream().filter(r -> r.getString(0).equals(p) && r.getString(1).equals(m)).map(r -> r.getDouble(2))
                        .findFirst().orElse(null));
            }
            series.put(p, ys);
        });
        section("First-pass yield by plant", "gold.quality_kpis, monthly, units-weighted over lines.");
        if (!months.isEmpty()) {
            Charts.lines(out.resolve("fpy.png"), "First-pass yield by plant and month", "FPY", months, series);
            image("fpy.png", "First-pass yield by plant and month");
        }
        if (tables.contains("gold.defect_pareto")) {
            List<Row> p = sql("SELECT defect_code, sum(defects) AS n FROM gold.defect_pareto WHERE period_type = 'MONTH' AND "
                    + latest("gold.defect_pareto") + " GROUP BY defect_code ORDER BY n DESC");
            if (!p.isEmpty()) {
                Charts.pareto(out.resolve("pareto.png"), "Defect Pareto (all lines, all months)",
                        p.stream().map(r -> r.getString(0)).toList(), p.stream().map(r -> (double) r.getLong(1)).toList());
                image("pareto.png", "Defect Pareto");
            }
        }
    }

    private void spc() throws IOException {
        if (!has("gold.control_limits", "batch capability")) {
            return;
        }
        section("Statistical process control", "gold.control_limits and gold.spc_violations: the characteristic with the most "
                + "rule-1 violations after its baseline, on its X̄ chart; gold.process_capability for Cpk.");
        List<Row> worst = sql("SELECT characteristic_id, center, lcl, ucl, baseline_subgroups, violating_subgroups_nelson_1, chart "
                + "FROM gold.control_limits WHERE chart IS NOT NULL AND " + latest("gold.control_limits")
                + " ORDER BY violating_subgroups_nelson_1 DESC, characteristic_id LIMIT 1");
        if (!worst.isEmpty() && tables.contains("silver.measurements")) {
            Row w = worst.get(0);
            String id = w.getString(0).replace("'", "''");
            List<Row> means = sql("SELECT subgroup_id, min(event_time) AS t, avg(value) AS m FROM silver.measurements WHERE "
                    + "characteristic_id = '" + id + "' GROUP BY subgroup_id ORDER BY t, subgroup_id");
            Set<String> flagged = new java.util.HashSet<>();
            if (tables.contains("gold.spc_violations")) {
                for (Row v : sql("SELECT DISTINCT subgroup_id FROM gold.spc_violations WHERE characteristic_id = '" + id + "' AND "
                        + latest("gold.spc_violations"))) {
                    flagged.add(v.getString(0));
                }
            }
            double[] m = means.stream().mapToDouble(r -> r.getDouble(2)).toArray();
            boolean[] f = new boolean[m.length];
            for (int i = 0; i < m.length; i++) {
                f[i] = flagged.contains(means.get(i).getString(0));
            }
            Charts.controlChart(out.resolve("control.png"), w.getString(6) + " chart of " + w.getString(0) + " ("
                    + w.getInt(5) + " rule-1 violations)", m, w.getDouble(1), w.getDouble(2), w.getDouble(3), f, w.getInt(4));
            image("control.png", "Control chart of " + w.getString(0));
        }
        if (tables.contains("gold.process_capability")) {
            table(spark.sql("SELECT plant_id, line_id, characteristic_id, period, n, round(cpk, 2) AS cpk, round(ppk, 2) AS ppk, critical, reason "
                    + "FROM gold.process_capability WHERE period_type = 'MONTH' AND " + latest("gold.process_capability")
                    + " AND period = (SELECT max(period) FROM gold.process_capability WHERE period_type = 'MONTH') "
                    + "ORDER BY cpk NULLS FIRST LIMIT 10"));
        }
    }

    /** Always present: the latest alerts of the live monitor, or a sentence saying there are none. */
    private void liveAlerts() {
        section(LiveAlerts.TITLE, LiveAlerts.SOURCE);
        long total = tables.contains(LiveAlerts.TABLE) ? sql(LiveAlerts.COUNT).get(0).getLong(0) : 0;
        if (total == 0) {
            body.append("<p class=\"empty\">").append(esc(LiveAlerts.NONE)).append("</p>\n");
            return;
        }
        body.append("<p>").append(esc(LiveAlerts.summary(Math.min(total, LiveAlerts.LATEST), total))).append("</p>\n");
        table(spark.sql(LiveAlerts.latest()));
    }

    private void reliability() throws IOException {
        if (!has("gold.reliability_summary", "batch reliability")) {
            return;
        }
        section("Field reliability", "gold.reliability_summary and gold.reliability_km (Kaplan-Meier per product model).");
        if (tables.contains("gold.reliability_km")) {
            Map<String, double[][]> curves = new LinkedHashMap<>();
            List<Row> km = sql("SELECT product_model, t_days, survival FROM gold.reliability_km WHERE " + latest("gold.reliability_km")
                    + " ORDER BY product_model, t_days");
            km.stream().map(r -> r.getString(0)).distinct().forEach(model -> {
                List<Row> pts = km.stream().filter(r -> r.getString(0).equals(model)).toList();
                double[][] xy = new double[2][pts.size() + 1];
                xy[0][0] = 0;
                xy[1][0] = 1;
                for (int i = 0; i < pts.size(); i++) {
                    xy[0][i + 1] = pts.get(i).getDouble(1);
                    xy[1][i + 1] = pts.get(i).getDouble(2);
                }
                curves.put(model, xy);
            });
            if (!curves.isEmpty()) {
                Charts.steps(out.resolve("survival.png"), "Kaplan-Meier survival by product model", curves);
                image("survival.png", "Kaplan-Meier survival");
            }
            if (tables.contains("gold.reliability_weibull")) {
                Charts.save(weibullChart(spark), out.resolve("weibull.png"));
                image("weibull.png", "Weibull probability plot");
            }
        }
        table(spark.sql("SELECT * FROM gold.reliability_summary WHERE " + latest("gold.reliability_summary")
                + " ORDER BY product_model, plant_id").drop("as_of"));
    }

    /**
     * Weibull probability plot of every product model: Kaplan–Meier points at the failure times and
     * the MLE line (scope ALL), from the latest slices of gold.reliability_km and reliability_weibull
     * (registered by name, as {@code qlake sql} does).
     */
    public static org.knowm.xchart.XYChart weibullChart(SparkSession spark) {
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (Row r : spark.sql("SELECT product_model, t_days, survival FROM gold.reliability_km WHERE failures > 0 AND "
                + latest("gold.reliability_km") + " ORDER BY product_model, t_days").collectAsList()) {
            points.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new double[] {r.getDouble(1), r.getDouble(2)});
        }
        Map<String, double[][]> km = new LinkedHashMap<>();
        points.forEach((model, pts) -> km.put(model, new double[][] {pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray()}));
        Map<String, double[]> fits = new LinkedHashMap<>();
        for (Row f : spark.sql("SELECT product_model, beta, eta_days FROM gold.reliability_weibull WHERE scope = 'ALL' AND beta IS NOT NULL AND "
                + latest("gold.reliability_weibull")).collectAsList()) {
            fits.put(f.getString(0), new double[] {f.getDouble(1), f.getDouble(2)});
        }
        return Charts.weibullPlot("Weibull probability plot (Kaplan-Meier points, MLE lines)", km, fits);
    }

    private void grades() throws IOException {
        if (!has("gold.line_grades", "batch grading")) {
            return;
        }
        String period = "(SELECT max(period) FROM gold.line_grades WHERE grade != 'INSUFFICIENT_DATA' AND " + latest("gold.line_grades") + ")";
        section("Line grades", "gold.line_grades, the latest month with graded lines (rubric or TOPSIS; see the method column).");
        List<Row> g = sql("SELECT line_id, score, score_lo, score_hi FROM gold.line_grades WHERE " + latest("gold.line_grades")
                + " AND period = " + period + " AND score IS NOT NULL AND grade != 'INSUFFICIENT_DATA' ORDER BY score DESC");
        if (!g.isEmpty() && g.stream().noneMatch(r -> r.isNullAt(2))) {
            java.util.Map<String, Double> bands = new java.util.LinkedHashMap<>();
            bands.put("AAA", 90.0);
            bands.put("AA", 80.0);
            bands.put("A", 70.0);
            bands.put("B", 60.0);
            Charts.save(Charts.scoreIntervals("Line scores with 95 % intervals and grade band edges", g.stream().map(r -> r.getString(0)).toList(),
                    g.stream().mapToDouble(r -> r.getDouble(1)).toArray(), g.stream().mapToDouble(r -> r.getDouble(2)).toArray(),
                    g.stream().mapToDouble(r -> r.getDouble(3)).toArray(), bands), out.resolve("grades.png"));
            image("grades.png", "Line scores with 95 % intervals");
        } else if (!g.isEmpty()) {
            Charts.bars(out.resolve("grades.png"), "Line scores", "score", g.stream().map(r -> r.getString(0)).toList(),
                    g.stream().map(r -> r.getDouble(1)).toList(), "score");
            image("grades.png", "Line scores");
        }
        table(spark.sql("SELECT period, line_id, peer_group, units, round(fpy, 4) AS fpy, round(critical_cpk_share, 2) AS cpk_share, "
                + "round(dpmo) AS dpmo, round(afr_ratio, 2) AS afr_ratio, round(quality_loss_rate, 2) AS loss_pct, round(score, 1) AS score, "
                + "concat(round(score_lo, 1), '-', round(score_hi, 1)) AS score_95, grade, round(grade_confidence, 2) AS grade_confidence, "
                + "rank_in_peer, concat(rank_lo, '-', rank_hi) AS rank_95, gate_note FROM gold.line_grades WHERE " + latest("gold.line_grades") + " AND period = " + period
                + " ORDER BY score DESC NULLS LAST"));
        if (tables.contains("gold.enterprise_capability")) {
            section("Enterprise capability levels", "gold.enterprise_capability: the level and what the next level still needs.");
            table(spark.sql("SELECT period, enterprise_id, cluster_id, level, level_cn, provisional, "
                    + "concat_ws('; ', next_level_gaps) AS next_level_gaps, concat_ws('; ', provisional_reasons) AS provisional_reasons "
                    + "FROM gold.enterprise_capability WHERE " + latest("gold.enterprise_capability") + " AND period = (SELECT max(period) "
                    + "FROM gold.enterprise_capability WHERE level != 'INSUFFICIENT_DATA') ORDER BY enterprise_id"));
        }
        if (tables.contains("gold.plant_benchmarks")) {
            section("Benchmark positions", "gold.plant_benchmarks: each plant's percentile in its product-family peer group "
                    + "(100 = best, direction-aware), latest graded month; * = peer group under 5 plants.");
            StringBuilder cols = new StringBuilder();
            for (String k : io.qualitylake.batch.benchmarks.BenchmarkTransforms.KPIS.keySet()) {
                cols.append(", max(CASE WHEN kpi = '").append(k).append("' THEN round(percentile) END) AS ").append(k);
            }
            table(spark.sql("SELECT plant_id, concat(first(peer_group), CASE WHEN first(small_peer_group) THEN '*' ELSE '' END) AS peer_group"
                    + cols + " FROM gold.plant_benchmarks WHERE " + latest("gold.plant_benchmarks") + " AND period = " + period
                    + " GROUP BY plant_id ORDER BY plant_id"));
        }
        if (tables.contains("gold.cluster_rankings")) {
            section("Cluster rankings", "gold.cluster_rankings: unit-weighted line score and share of lines graded AA or better.");
            table(spark.sql("SELECT period, cluster_id, plants, lines, round(weighted_score, 1) AS weighted_score, "
                    + "round(share_aa_or_better, 2) AS share_aa_or_better, rank FROM gold.cluster_rankings WHERE "
                    + latest("gold.cluster_rankings") + " AND period = " + period.replace("gold.line_grades", "gold.line_grades") + " ORDER BY rank"));
        }
    }

    private void suppliers() {
        if (!has("gold.suspect_lots", "batch suppliers")) {
            return;
        }
        section("Suspect supplier lots", "gold.suspect_lots: observed vs expected field failures, Benjamini-Hochberg q; lots that "
                + "only rode on a flagged lot's units are shown with explained_by.");
        table(spark.sql("SELECT lot_id, supplier_id, component, units, observed_failures, round(expected_failures, 1) AS expected, "
                + "round(ratio, 1) AS ratio, q_value, flagged, explained_by FROM gold.suspect_lots WHERE " + latest("gold.suspect_lots")
                + " AND (flagged OR explained_by IS NOT NULL OR q_value < 0.2) ORDER BY p_value LIMIT 12"));
    }

    /** Issue 15's figures: repairable systems, the warranty forecast, one non-normal characteristic. */
    private void depth() throws IOException {
        if (has("gold.reliability_growth", "batch reliability") && has("gold.reliability_mcf", "batch reliability")) {
            String model = DepthFigures.repairableModel(spark);
            if (model != null) {
                section("Repairable systems", "gold.reliability_mcf (Nelson's MCF, 95 % bounds) and gold.reliability_growth "
                        + "(Crow-AMSAA per plant; a slope above 1 on log-log axes means failures come faster with age).");
                chart(DepthFigures.mcf(spark, model), "mcf.png", "mean cumulative function");
                chart(DepthFigures.crowAmsaa(spark, model), "crow_amsaa.png", "Crow-AMSAA log-log plot");
                table(spark.sql("SELECT product_model, plant_id, n_systems, n_failures, round(beta, 3) AS beta, round(beta_lo, 3) AS beta_lo, "
                        + "round(beta_hi, 3) AS beta_hi, round(cum_mtbf_days, 1) AS cum_mtbf_days, round(inst_mtbf_days, 1) AS inst_mtbf_days, "
                        + "round(laplace_p, 4) AS laplace_p, trend FROM gold.reliability_growth WHERE beta IS NOT NULL ORDER BY product_model, plant_id"));
            }
        }
        if (has("gold.warranty_forecast", "batch reliability")) {
            section("Warranty forecast", "gold.warranty_forecast, build_month ALL: expected first claims of the units at risk in each of "
                    + "the next six calendar months, with 90 % prediction intervals (per build month in the table itself).");
            chart(DepthFigures.forecastFan(spark), "forecast.png", "warranty forecast fan");
            table(spark.sql("SELECT product_model, forecast_month, units_at_risk, round(expected_claims, 1) AS expected_claims, pi_lo, pi_hi "
                    + "FROM gold.warranty_forecast "
                    + "WHERE build_month = 'ALL' ORDER BY product_model, months_ahead"));
        }
        if (has("gold.process_capability", "batch capability") && tables.contains("silver.measurements")) {
            CategoryChart h = DepthFigures.capabilityHistogram(spark);
            if (h != null) {
                section("Non-normal capability", "gold.process_capability (distribution, cpk_pct) and silver.measurements: the "
                        + "non-normal characteristic-month with most values, with the distribution chosen by Anderson-Darling.");
                chart(h, "capability_hist.png", "capability histogram");
            }
        }
    }

    private void chart(org.knowm.xchart.internal.chartpart.Chart<?, ?> c, String file, String alt) throws IOException {
        if (c != null) {
            Charts.save(c, out.resolve(file));
            image(file, alt);
        }
    }

    private void section(String title, String source) {
        sections++;
        body.append("<h2>").append(esc(title)).append("</h2>\n<p class=\"src\">").append(esc(source)).append("</p>\n");
    }

    private void image(String file, String alt) {
        body.append("<img src=\"").append(file).append("\" alt=\"").append(esc(alt)).append("\">\n");
    }

    private void table(Dataset<Row> d) {
        List<Row> rows = d.limit(200).collectAsList();
        boolean[] numeric = new boolean[d.schema().size()];
        for (int i = 0; i < numeric.length; i++) {
            numeric[i] = d.schema().fields()[i].dataType() instanceof org.apache.spark.sql.types.NumericType;
        }
        // a wide table scrolls inside its own box instead of being cut off by the page
        body.append("<div class=\"tbl\"><table>\n<tr>");
        for (int i = 0; i < numeric.length; i++) {
            body.append(numeric[i] ? "<th class=\"n\">" : "<th>").append(esc(d.columns()[i])).append("</th>");
        }
        body.append("</tr>\n");
        for (Row r : rows) {
            body.append("<tr>");
            for (int i = 0; i < r.length(); i++) {
                String text = cell(r.get(i));
                // short cells stay on one line (2026-01 is not split at its hyphen); long text wraps in its column
                body.append(numeric[i] ? "<td class=\"n\">" : text.length() > 40 ? "<td class=\"w\">" : "<td>").append(esc(text))
                        .append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table></div>\n");
    }

    /** A table cell for people: numbers to {@link HumanNumbers#REPORT_DIGITS} significant digits, lists joined. */
    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof scala.collection.Seq<?> s) {
            return String.join(", ", scala.collection.JavaConverters.seqAsJavaList(s).stream().map(Report::cell).toList());
        }
        return HumanNumbers.format(v, HumanNumbers.REPORT_DIGITS);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private String html(Lake lake) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>QualityLake report</title><style>"
                + "body{font-family:" + Charts.CSS_FONT_FAMILY + ";margin:2em;max-width:1100px;color:#222}"
                + ".tbl{overflow-x:auto;max-width:100%;margin:1em 0;border:1px solid #eee}"
                + "table{border-collapse:collapse;font-size:13px}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;"
                + "vertical-align:top;white-space:nowrap}td.w{white-space:normal;min-width:16em;max-width:32em;overflow-wrap:break-word}"
                + ".n{text-align:right;"
                + "font-variant-numeric:tabular-nums}"
                + "th{background:#f0f0f0;position:sticky;top:0}.src{color:#666;font-size:13px}img{max-width:100%;border:1px solid #eee}"
                + "</style></head><body>\n<h1>QualityLake report</h1>\n<p class=\"src\">Lake: ")
                .append(esc(lake.root())).append(". Figures from the current gold tables (each row carries the as_of it was computed at).</p>\n");
        h.append(body);
        if (!missing.isEmpty()) {
            h.append("<h2>Not in this lake yet</h2>\n<ul>");
            missing.forEach(m -> h.append("<li>").append(esc(m)).append("</li>"));
            h.append("</ul>\n");
        }
        // lets a browser check (and a curious reader) see that every chart decoded
        // and whether Chinese text gets real glyphs in the page's font: two different characters drawn
        // in the body's font-family must differ, where missing glyphs would be two identical empty boxes
        h.append("<script>window.addEventListener('load',function(){var n=0;document.querySelectorAll('img').forEach(function(i){"
                + "if(i.naturalWidth>0)n++;});document.body.setAttribute('data-images-loaded',n);"
                + "var c=document.createElement('canvas');c.width=c.height=48;var x=c.getContext('2d');"
                + "x.font='40px '+getComputedStyle(document.body).fontFamily;"
                + "function g(t){x.clearRect(0,0,48,48);x.fillText(t,2,42);return Array.prototype.join.call(x.getImageData(0,0,48,48).data,'');}"
                + "document.body.setAttribute('data-cjk-glyphs',g('\u7ecf')!==g('\u9a8c')?'distinct':'same');});</script>\n");
        return h.append("</body></html>\n").toString();
    }
}
