package io.qualitylake.batch.report;

import java.awt.BasicStroke;
import io.qualitylake.batch.format.HumanNumbers;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The report's charts, drawn with XChart into PNG files (headless AWT). */
public final class Charts {
    private Charts() {}

    /** The report page's font stack: Latin glyphs from DejaVu Sans, Chinese from the CJK font that .ci/run installs. */
    public static final String CSS_FONT_FAMILY = "'DejaVu Sans', " + CjkFont.CSS_FAMILIES + ", sans-serif";

    static final int W = 900;
    static final int H = 420;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One line per series over categorical x positions (months): y by series name. */
    static void lines(Path file, String title, String yTitle, List<String> x, Map<String, List<Double>> series) throws IOException {
        save(lines(title, yTitle, x, series), file);
    }

    public static XYChart lines(String title, String yTitle, List<String> x, Map<String, List<Double>> series) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("month").yAxisTitle(yTitle).build();
        style(c.getStyler());
        double[] xs = new double[x.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i + 1;
        }
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
            int i = (int) Math.round(v) - 1;
            return Math.abs(v - Math.round(v)) < 1e-9 && i >= 0 && i < x.size() ? x.get(i) : "";
        });
        series.forEach((name, ys) -> {
            double[] y = ys.stream().mapToDouble(v -> v == null ? Double.NaN : v).toArray();
            c.addSeries(name, xs, y).setMarker(SeriesMarkers.CIRCLE);
        });
        return c;
    }

    static void bars(Path file, String title, String yTitle, List<String> x, List<Double> y, String seriesName) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setLegendVisible(false);
        c.getStyler().setXAxisLabelRotation(45);
        c.addSeries(seriesName, x, y);
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Line scores with their 95 % intervals (vertical whiskers) and the grade band edges (dashed),
     * best line first: how far each line sits from the next band, and how sure that is.
     *
     * @param bands band name → its minimum score
     */
    public static XYChart scoreIntervals(String title, List<String> lines, double[] score, double[] lo, double[] hi,
                                         Map<String, Double> bands) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("line").yAxisTitle("score").build();
        style(c.getStyler());
        double[] x = new double[lines.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        c.getStyler().setxAxisTickLabelsFormattingFunction(v -> {
            int i = (int) Math.round(v) - 1;
            return Math.abs(v - Math.round(v)) < 1e-9 && i >= 0 && i < lines.size() ? lines.get(i) : "";
        });
        c.getStyler().setXAxisLabelRotation(45);
        // whiskers: one polyline broken by NaN between lines
        double[] wx = new double[3 * x.length];
        double[] wy = new double[3 * x.length];
        for (int i = 0; i < x.length; i++) {
            wx[3 * i] = x[i];
            wx[3 * i + 1] = x[i];
            wx[3 * i + 2] = Double.NaN;
            wy[3 * i] = lo[i];
            wy[3 * i + 1] = hi[i];
            wy[3 * i + 2] = Double.NaN;
        }
        XYSeries w = c.addSeries("95 % interval", wx, wy);
        w.setMarker(SeriesMarkers.NONE);
        w.setLineColor(new Color(90, 90, 90));
        XYSeries s = c.addSeries("score", x, score);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new Color(31, 119, 180));
        double[] span = x.length == 1 ? new double[] {0.5, 1.5} : new double[] {0.5, x.length + 0.5};
        bands.forEach((grade, min) -> horizontal(c, grade + " from " + HumanNumbers.format(min, 3), span, min, new Color(214, 39, 40), DASHED));
        return c;
    }

    /** X̄ chart: subgroup means, center and limits, points that broke a Nelson rule in red. */
    static void controlChart(Path file, String title, double[] means, double center, double lcl, double ucl, boolean[] flagged,
                             int baseline) throws IOException {
        save(controlChart(title, means, center, lcl, ucl, flagged, baseline), file);
    }

    /** The centre line is solid, the control limits dashed (so they read apart in grey print too); the legend names their values. */
    static XYChart controlChart(String title, double[] means, double center, double lcl, double ucl, boolean[] flagged, int baseline) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("subgroup").yAxisTitle("subgroup mean").build();
        style(c.getStyler());
        double[] x = new double[means.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        XYSeries s = c.addSeries("mean", x, means);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineColor(new Color(90, 90, 90));
        horizontal(c, "UCL " + HumanNumbers.format(ucl, 4), x, ucl, Color.RED, DASHED);
        horizontal(c, "CL " + HumanNumbers.format(center, 4), x, center, new Color(0, 128, 0), SOLID);
        horizontal(c, "LCL " + HumanNumbers.format(lcl, 4), x, lcl, Color.RED, DASHED);
        long n = 0;
        for (boolean f : flagged) {
            n += f ? 1 : 0;
        }
        if (n > 0) {
            double[] fx = new double[(int) n];
            double[] fy = new double[(int) n];
            int j = 0;
            for (int i = 0; i < means.length; i++) {
                if (flagged[i]) {
                    fx[j] = x[i];
                    fy[j++] = means[i];
                }
            }
            XYSeries v = c.addSeries("Nelson rule broken", fx, fy);
            v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            v.setMarkerColor(Color.RED);
        }
        if (baseline > 0 && baseline < means.length) {
            XYSeries b = c.addSeries("end of baseline", new double[] {baseline + 0.5, baseline + 0.5}, new double[] {lcl, ucl});
            b.setMarker(SeriesMarkers.NONE);
            b.setLineColor(Color.GRAY);
            b.setLineStyle(DOTTED);
        }
        return c;
    }

    /**
     * Defect Pareto: counts as bars in descending order on the left axis, and the cumulative share
     * of all defects as a line on a secondary axis at the right (0-100 %).
     */
    static void pareto(Path file, String title, List<String> codes, List<Double> counts) throws IOException {
        save(pareto(title, codes, counts), file);
    }

    static CategoryChart pareto(String title, List<String> codes, List<Double> counts) {
        CategoryChart c = new CategoryChartBuilder().width(W).height(H).title(title).xAxisTitle("defect code").yAxisTitle("defects").build();
        style(c.getStyler());
        c.getStyler().setXAxisLabelRotation(45);
        c.getStyler().setOverlapped(true);
        c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        c.getStyler().setYAxisMin(1, 0.0);
        c.getStyler().setYAxisMax(1, 100.0);
        c.setYAxisGroupTitle(1, "cumulative % of defects");
        c.addSeries("defects", codes, counts).setFillColor(new Color(31, 119, 180));
        CategorySeries cum = c.addSeries("cumulative %", codes, cumulativePercent(counts));
        cum.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
        cum.setYAxisGroup(1);
        cum.setLineColor(new Color(214, 39, 40));
        cum.setMarker(SeriesMarkers.CIRCLE);
        cum.setMarkerColor(new Color(214, 39, 40));
        return c;
    }

    /** Running total as a percentage of the grand total, in the given (descending) order. */
    static List<Double> cumulativePercent(List<Double> counts) {
        double total = counts.stream().mapToDouble(Double::doubleValue).sum();
        List<Double> out = new java.util.ArrayList<>(counts.size());
        double run = 0;
        for (double v : counts) {
            run += v;
            out.add(total == 0 ? 0 : 100 * run / total);
        }
        return out;
    }

    /** Step curves (Kaplan–Meier survival) per series: x = days, y = survival. */
    static void steps(Path file, String title, Map<String, double[][]> curves) throws IOException {
        save(steps(title, curves), file);
    }

    public static XYChart steps(String title, Map<String, double[][]> curves) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("days in service").yAxisTitle("survival").build();
        style(c.getStyler());
        curves.forEach((name, xy) -> {
            XYSeries s = c.addSeries(name, xy[0], xy[1]);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            s.setMarker(SeriesMarkers.NONE);
        });
        return c;
    }

    /**
     * Weibull probability plot: each model's Kaplan–Meier failure probabilities F at the failure
     * times as points on Weibull paper (x = ln t, y = ln(−ln(1 − F))), and its fitted MLE line
     * y = β(ln t − ln η); a straight, well-followed line means the two-parameter Weibull fits.
     *
     * @param km  model → {t_days[], survival[]} at failure times
     * @param fit model → {β, η}
     */
    public static XYChart weibullPlot(String title, Map<String, double[][]> km, Map<String, double[]> fit) {
        XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle("ln(days in service)")
                .yAxisTitle("ln(-ln(1 - F))").build();
        style(c.getStyler());
        Color[] palette = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(148, 103, 189),
                new Color(255, 127, 14), new Color(140, 86, 75)};
        int[] next = {0};
        km.forEach((model, pts) -> {
            Color colour = palette[next[0]++ % palette.length];
            java.util.List<Double> xs = new java.util.ArrayList<>();
            java.util.List<Double> ys = new java.util.ArrayList<>();
            for (int i = 0; i < pts[0].length; i++) {
                double f = 1 - pts[1][i];
                if (pts[0][i] > 0 && f > 0 && f < 1) {
                    xs.add(Math.log(pts[0][i]));
                    ys.add(Math.log(-Math.log(1 - f)));
                }
            }
            if (xs.size() < 2) {
                return;
            }
            XYSeries s = c.addSeries(model, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarkerColor(colour);
            double[] bf = fit.get(model);
            if (bf != null) {
                double lo = java.util.Collections.min(xs);
                double hi = java.util.Collections.max(xs);
                XYSeries line = c.addSeries(model + " fit (beta " + String.format("%.2f", bf[0]) + ")", new double[] {lo, hi},
                        new double[] {bf[0] * (lo - Math.log(bf[1])), bf[0] * (hi - Math.log(bf[1]))});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(colour);
            }
        });
        return c;
    }

    static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> c, Path file) throws IOException {
        BitmapEncoder.saveBitmap(c, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** The chart as an image, for notebooks. */
    public static java.awt.image.BufferedImage image(org.knowm.xchart.internal.chartpart.Chart<?, ?> c) {
        return BitmapEncoder.getBufferedImage(c);
    }

    static final BasicStroke SOLID = new BasicStroke(2f);
    static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 5}, 0);
    static final BasicStroke DOTTED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 4}, 0);

    private static void horizontal(XYChart c, String name, double[] x, double y, Color color, BasicStroke stroke) {
        XYSeries s = c.addSeries(name, new double[] {x[0], x[x.length - 1]}, new double[] {y, y});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(stroke);
    }

    static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setAntiAlias(true);
        // a font with Chinese glyphs (level names such as 经验级), where one is installed: Java's own
        // fallback would otherwise draw empty boxes
        s.setChartTitleFont(CjkFont.derive(s.getChartTitleFont()));
        s.setLegendFont(CjkFont.derive(s.getLegendFont()));
        s.setAnnotationTextFont(CjkFont.derive(s.getAnnotationTextFont()));
        if (s instanceof org.knowm.xchart.style.AxesChartStyler a) {
            a.setAxisTitleFont(CjkFont.derive(a.getAxisTitleFont()));
            a.setAxisTickLabelsFont(CjkFont.derive(a.getAxisTickLabelsFont()));
        }
    }
}
