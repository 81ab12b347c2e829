package io.qualitylake.batch.report;

import io.qualitylake.batch.capability.FittedDistribution;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;

/**
 * The queries behind {@link DepthCharts}: each returns a chart, or null when its tables hold nothing
 * to draw. Only the few rows a chart shows reach the driver (one model's MCF, one characteristic-month
 * of measurements), never a whole table.
 */
public final class DepthFigures {
    /** Most points a plotted curve keeps (evenly thinned, the last point always kept). */
    static final int MAX_POINTS = 400;

    private DepthFigures() {}

    /**
     * The model to draw: the one with a Crow-AMSAA fit whose units most often fail again (units with two or
     * more field failures at distinct times, from silver.field_failures; one aggregate row per model reaches the driver).
     * A model whose units fail once (a first-failure life, even a bad lot's) is not what these charts are for.
     */
    public static String repairableModel(SparkSession spark) {
        List<Row> r = spark.sql("SELECT g.product_model FROM gold.reliability_growth g LEFT JOIN (SELECT product_model, count(*) AS n "
                + "FROM (SELECT serial_no, first(product_model) AS product_model FROM silver.field_failures GROUP BY serial_no "
                + "HAVING count(DISTINCT event_time) >= 2) GROUP BY product_model) rep ON rep.product_model = g.product_model "
                + "WHERE g.plant_id = 'ALL' AND g.beta IS NOT NULL ORDER BY coalesce(rep.n, 0) DESC, g.n_failures DESC, g.product_model LIMIT 1")
                .collectAsList();
        return r.isEmpty() ? null : r.get(0).getString(0);
    }

    /** MCF of a model over all plants, with its bounds. */
    public static XYChart mcf(SparkSession spark, String model) {
        List<Row> rows = thin(spark.sql("SELECT t_days, mcf, coalesce(ci_lo, double('NaN')), coalesce(ci_hi, double('NaN')) "
                + "FROM gold.reliability_mcf WHERE plant_id = 'ALL' AND product_model = '" + model.replace("'", "''") + "' ORDER BY t_days")
                .collectAsList());
        if (rows.size() < 2) {
            return null;
        }
        double[][] c = columns(rows, 4);
        return DepthCharts.mcf("Mean cumulative function of " + model + " (all plants), 95 % bounds", c[0], c[1], c[2], c[3]);
    }

    /** Crow-AMSAA per plant of a model: MCF points and the fitted power law on log–log axes. */
    public static XYChart crowAmsaa(SparkSession spark, String model) {
        String m = model.replace("'", "''");
        Map<String, double[]> fits = new LinkedHashMap<>();
        for (Row f : spark.sql("SELECT plant_id, beta, lambda FROM gold.reliability_growth WHERE product_model = '" + m
                + "' AND plant_id <> 'ALL' AND beta IS NOT NULL ORDER BY plant_id").collectAsList()) {
            fits.put(f.getString(0), new double[] {f.getDouble(1), f.getDouble(2)});
        }
        Map<String, double[][]> points = new LinkedHashMap<>();
        for (String plant : fits.keySet()) {
            List<Row> rows = thin(spark.sql("SELECT t_days, mcf FROM gold.reliability_mcf WHERE product_model = '" + m + "' AND plant_id = '"
                    + plant.replace("'", "''") + "' AND t_days > 0 ORDER BY t_days").collectAsList());
            points.put(plant, columns(rows, 2));
        }
        return points.isEmpty() ? null
                : DepthCharts.crowAmsaa("Crow-AMSAA power law of " + model + " by plant (MCF points, MLE lines)", points, fits);
    }

    /** The forecast fan: each model's total (build_month ALL) over the next months. */
    public static XYChart forecastFan(SparkSession spark) {
        List<Row> rows = spark.sql("SELECT product_model, forecast_month, expected_claims, pi_lo, pi_hi FROM gold.warranty_forecast "
                + "WHERE build_month = 'ALL' AND expected_claims IS NOT NULL ORDER BY product_model, months_ahead").collectAsList();
        if (rows.isEmpty()) {
            return null;
        }
        List<String> months = rows.stream().map(r -> r.getString(1)).distinct().sorted().toList();
        Map<String, double[][]> fans = new LinkedHashMap<>();
        for (Row r : rows) {
            double[][] f = fans.computeIfAbsent(r.getString(0), k -> {
                double[][] a = new double[3][months.size()];
                for (double[] s : a) {
                    java.util.Arrays.fill(s, Double.NaN);
                }
                return a;
            });
            int i = months.indexOf(r.getString(1));
            f[0][i] = r.getDouble(2);
            f[1][i] = r.getLong(3);
            f[2][i] = r.getLong(4);
        }
        return DepthCharts.forecastFan("Warranty claims forecast per model (expected, 90 % prediction interval)", months, fans);
    }

    /**
     * The non-normal characteristic-month with the most values: its measurements as a histogram and
     * the distribution the capability job chose, refitted to the same values.
     */
    public static CategoryChart capabilityHistogram(SparkSession spark) {
        List<Row> pick = spark.sql("SELECT plant_id, line_id, characteristic_id, period, distribution, round(cpk_pct, 2), round(cpk, 2) "
                + "FROM gold.process_capability WHERE period_type = 'MONTH' AND distribution IS NOT NULL AND distribution <> 'NORMAL' "
                + "AND cpk_pct IS NOT NULL ORDER BY n DESC, plant_id, line_id, characteristic_id, period LIMIT 1").collectAsList();
        if (pick.isEmpty()) {
            return null;
        }
        Row p = pick.get(0);
        double[] v = spark.sql("SELECT value FROM silver.measurements WHERE value IS NOT NULL AND plant_id = '" + p.getString(0)
                        + "' AND line_id = '" + p.getString(1) + "' AND characteristic_id = '" + p.getString(2)
                        + "' AND date_format(event_time, 'yyyy-MM') = '" + p.getString(3) + "'")
                .collectAsList().stream().mapToDouble(r -> r.getDouble(0)).toArray();
        FittedDistribution d = switch (p.getString(4)) {
            case "LOGNORMAL" -> FittedDistribution.lognormal(v);
            case "WEIBULL" -> FittedDistribution.weibull(v);
            case "BOX_COX" -> FittedDistribution.boxCox(v);
            default -> FittedDistribution.normal(v);
        };
        if (d == null || v.length < 2) {
            return null;
        }
        String title = p.getString(2) + " at " + p.getString(0) + "/" + p.getString(1) + ", " + p.getString(3) + ": " + p.getString(4)
                + " fit, percentile Cpk " + p.get(5) + " (normal-theory Cpk " + p.get(6) + ")";
        return DepthCharts.capabilityHistogram(title, v, d::cdf, p.getString(4), 30);
    }

    private static List<Row> thin(List<Row> rows) {
        if (rows.size() <= MAX_POINTS) {
            return rows;
        }
        List<Row> out = new ArrayList<>();
        double step = (rows.size() - 1) / (double) (MAX_POINTS - 1);
        for (int i = 0; i < MAX_POINTS; i++) {
            out.add(rows.get((int) Math.round(i * step)));
        }
        return out;
    }

    private static double[][] columns(List<Row> rows, int n) {
        double[][] c = new double[n][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < n; j++) {
                c[j][i] = rows.get(i).getDouble(j);
            }
        }
        return c;
    }
}
