package io.qualitylake.batch.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.junit.jupiter.api.Test;

/** The report's charts: a real Pareto (cumulative line on its own axis), readable control limits, Chinese glyphs. */
class ChartsTest {
    @Test
    void theParetoHasItsCumulativePercentLineOnASecondaryAxis() {
        // hand-computed: 50, 30, 20 of 100 defects → 50 %, 80 %, 100 %
        CategoryChart c = Charts.pareto("Defect Pareto", List.of("SCRATCH", "DENT", "BURR"), List.of(50.0, 30.0, 20.0));
        CategorySeries bars = c.getSeriesMap().get("defects");
        CategorySeries cum = c.getSeriesMap().get("cumulative %");
        assertEquals(0, bars.getYAxisGroup());
        assertEquals(1, cum.getYAxisGroup());
        assertEquals(CategorySeries.CategorySeriesRenderStyle.Line, cum.getChartCategorySeriesRenderStyle());
        assertEquals(Styler.YAxisPosition.Right, c.getStyler().getYAxisGroupPosistion(1));
        assertEquals(100.0, c.getStyler().getYAxisMax(1));
        assertArrayEquals(new double[] {50, 80, 100}, Charts.cumulativePercent(List.of(50.0, 30.0, 20.0)).stream()
                .mapToDouble(Double::doubleValue).toArray(), 1e-12);
        assertEquals(100 * 2.0 / 3, Charts.cumulativePercent(List.of(2.0, 1.0)).get(0), 1e-12);
    }

    @Test
    void controlLimitsAreDashedAndTheCentreLineSolidWithTheirValuesInTheLegend() {
        XYChart c = Charts.controlChart("X̄ chart", new double[] {10.0, 10.2, 9.9, 10.6}, 10.05, 9.5, 10.6000000000000001,
                new boolean[] {false, false, false, true}, 2);
        var s = c.getSeriesMap();
        assertNotNull(s.get("UCL 10.6"), s.keySet().toString());
        assertNotNull(s.get("LCL 9.5"), s.keySet().toString());
        assertNotNull(s.get("CL 10.05"), s.keySet().toString());
        assertNull(s.get("CL 10.05").getLineStyle().getDashArray(), "centre line solid");
        assertFalse(s.get("UCL 10.6").getLineStyle().getDashArray() == null, "UCL dashed");
        assertFalse(s.get("LCL 9.5").getLineStyle().getDashArray() == null, "LCL dashed");
    }

    /** Issue 18: each line's score with its 95 % whisker (lo to hi, broken between lines) and dashed band edges. */
    @Test
    void scoresAreDrawnWithTheirIntervalsAndTheBandEdges() {
        java.util.Map<String, Double> bands = new java.util.LinkedHashMap<>();
        bands.put("AA", 80.0);
        bands.put("A", 70.0);
        XYChart c = Charts.scoreIntervals("scores", List.of("L1", "L2"), new double[] {85, 72}, new double[] {81, 64},
                new double[] {89, 79}, bands);
        var s = c.getSeriesMap();
        assertArrayEquals(new double[] {85, 72}, s.get("score").getYData(), 0);
        double[] y = s.get("95 % interval").getYData();
        assertArrayEquals(new double[] {81, 89, 64, 79}, new double[] {y[0], y[1], y[3], y[4]}, 0);
        assertEquals(Double.NaN, y[2], "whiskers are separate segments");
        assertArrayEquals(new double[] {80, 80}, s.get("AA from 80").getYData(), 0);
        assertFalse(s.get("A from 70").getLineStyle().getDashArray() == null, "band edges dashed");
        assertNotNull(Charts.image(c));
    }

    /**
     * The chart font draws Chinese: two different characters give different pixels, where a font
     * without them draws two identical empty boxes. Required on CI (.ci/run installs fonts-wqy-zenhei
     * and sets QLAKE_REQUIRE_BROWSER=1); skipped on a machine without a CJK font.
     */
    @Test
    void chartTextInChineseGetsRealGlyphs() {
        if ("1".equals(System.getenv("QLAKE_REQUIRE_BROWSER"))) {
            assertNotNull(CjkFont.family(), "no CJK font installed (apt-get install fonts-wqy-zenhei)");
        }
        assumeTrue(CjkFont.family() != null, "no CJK font installed (apt-get install fonts-wqy-zenhei)");
        XYChart c = Charts.lines("经验级", "FPY", List.of("2026-01"), java.util.Map.of("卓越级", java.util.Arrays.asList(0.9)));
        Font title = c.getStyler().getChartTitleFont();
        assertEquals(CjkFont.family(), title.getFamily());
        assertFalse(java.util.Arrays.equals(glyph(title, "经"), glyph(title, "验")), "distinct glyphs, not boxes");
        assertEquals(CjkFont.family(), c.getStyler().getLegendFont().getFamily());
        // and the check can tell: no font has a glyph for an unassigned code point (U+0378, U+0379), so the
        // two render as the same missing-glyph box (private-use characters are not safe here: some fonts
        // that Debian packages pull in draw icons there)
        Font dialog = new Font(Font.DIALOG, Font.PLAIN, 32);
        assertArrayEquals(glyph(dialog, "\u0378"), glyph(dialog, "\u0379"));
    }

    private static int[] glyph(Font f, String s) {
        BufferedImage img = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setFont(f.deriveFont(32f));
        g.drawString(s, 4, 40);
        g.dispose();
        return img.getRGB(0, 0, 48, 48, null, 0, 48);
    }
}
