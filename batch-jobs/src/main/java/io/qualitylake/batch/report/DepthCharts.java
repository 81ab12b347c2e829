package io.qualitylake.batch.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's reliability-depth and non-normal capability charts (issue 15): MCF with bounds,
 * Crow-AMSAA on log–log axes, the warranty forecast fan, and a capability histogram with the fitted
 * distribution. Pure: arrays in, charts out (the queries live in {@link DepthFigures}).
 */
public final class DepthCharts {
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(148, 103, 189),
            new Color(255, 127, 14), new Color(140, 86, 75)};

    private DepthCharts() {}

    /** Nelson's MCF as a step curve with its 95 % bounds dashed (bounds may be NaN where undefined). */
    public static XYChart mcf(String title, double[] t, double[] mcf, double[] lo, double[] hi) {
        XYChart c = new XYChartBuilder().width(Charts.W).height(Charts.H).title(title).xAxisTitle("age (days since install)")
                .yAxisTitle("mean cumulative failures per unit").build();
        Charts.style(c.getStyler());
        step(c, "MCF", t, mcf, PALETTE[0], Charts.SOLID);
        step(c, "95 % upper", t, hi, Color.GRAY, Charts.DASHED);
        step(c, "95 % lower", t, lo, Color.GRAY, Charts.DASHED);
        return c;
    }

    private static void step(XYChart c, String name, double[] x, double[] y, Color colour, java.awt.BasicStroke stroke) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(stroke);
    }

    /**
     * Crow-AMSAA on log–log axes: per group, the MCF points (the non-parametric estimate of the mean
     * cumulative failures) and the fitted power law Λ(t) = λt^β as a line; a straight, followed line
     * supports the model, its slope is β.
     *
     * @param points group → {ages[], mcf[]} (positive)
     * @param fits   group → {β, λ}
     */
    public static XYChart crowAmsaa(String title, Map<String, double[][]> points, Map<String, double[]> fits) {
        XYChart c = new XYChartBuilder().width(Charts.W).height(Charts.H).title(title).xAxisTitle("age (days, log scale)")
                .yAxisTitle("cumulative failures per unit (log)").build();
        Charts.style(c.getStyler());
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        int[] next = {0};
        points.forEach((group, xy) -> {
            if (xy[0].length < 2) {
                return;
            }
            Color colour = PALETTE[next[0]++ % PALETTE.length];
            XYSeries s = c.addSeries(group, xy[0], xy[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(colour);
            double[] f = fits.get(group);
            if (f != null) {
                double a = xy[0][0];
                double b = xy[0][xy[0].length - 1];
                XYSeries line = c.addSeries(group + " power law (beta " + String.format("%.2f", f[0]) + ")", new double[] {a, b},
                        new double[] {f[1] * Math.pow(a, f[0]), f[1] * Math.pow(b, f[0])});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(colour);
            }
        });
        return c;
    }

    /**
     * The warranty forecast fan: per model, the expected claims in each of the next months (solid)
     * and its 90 % prediction interval (dashed, same colour).
     *
     * @param fans model → {expected[], lo[], hi[]} over {@code months}
     */
    public static XYChart forecastFan(String title, List<String> months, Map<String, double[][]> fans) {
        XYChart c = Charts.lines(title, "warranty claims", months, Map.of());
        int[] next = {0};
        double[] x = new double[months.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        fans.forEach((model, f) -> {
            Color colour = PALETTE[next[0]++ % PALETTE.length];
            XYSeries e = c.addSeries(model + " expected", x, f[0]);
            e.setLineColor(colour);
            e.setMarkerColor(colour);
            e.setMarker(SeriesMarkers.CIRCLE);
            for (int b = 1; b <= 2; b++) {
                XYSeries s = c.addSeries(model + (b == 1 ? " 90 % low" : " 90 % high"), x, f[b]);
                s.setLineColor(colour);
                s.setLineStyle(Charts.DASHED);
                s.setMarker(SeriesMarkers.NONE);
            }
        });
        return c;
    }

    /**
     * Histogram of a characteristic's values with the expected counts of the fitted distribution,
     * n·(F(b) − F(a)) per bin [a, b), as a line over the bars.
     */
    public static CategoryChart capabilityHistogram(String title, double[] values, DoubleUnaryOperator cdf, String fitted, int bins) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double width = (max - min) / bins;
        List<String> labels = new ArrayList<>();
        List<Double> observed = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            double lo = min + b * width;
            double hi = b == bins - 1 ? max : lo + width;
            long n = 0;
            for (double v : values) {
                n += (v >= lo && (v < hi || (b == bins - 1 && v <= hi))) ? 1 : 0;
            }
            labels.add(String.format("%.3g", (lo + hi) / 2));
            observed.add((double) n);
            expected.add(values.length * (cdf.applyAsDouble(hi) - cdf.applyAsDouble(lo)));
        }
        CategoryChart c = new CategoryChartBuilder().width(Charts.W).height(Charts.H).title(title).xAxisTitle("value (bin centre)")
                .yAxisTitle("measurements").build();
        Charts.style(c.getStyler());
        c.getStyler().setXAxisLabelRotation(45);
        c.getStyler().setOverlapped(true);
        c.addSeries("observed", labels, observed).setFillColor(new Color(31, 119, 180));
        CategorySeries fit = c.addSeries("fitted " + fitted, labels, expected);
        fit.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        fit.setLineColor(new Color(214, 39, 40));
        fit.setMarker(SeriesMarkers.NONE);
        return c;
    }
}
