package io.qualitylake.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControlChartTest {
    /**
     * NIST/SEMATECH e-Handbook §6.3.2.2, Individuals control chart of 10 flow-rate batches
     * (https://www.itl.nist.gov/div898/handbook/pmc/section3/pmc322.htm; data in
     * src/test/resources/refdata/nist/flowrate_imr.csv, see SOURCE.txt there). Printed: mean 50.81,
     * MR̄ 1.8778, UCL 55.8041, LCL 45.8159, MR chart UCL 6.1349. Agreement to the printed 4 decimals,
     * except the MR UCL: the page's 6.1349 is D₄ = 3.2670 × 1.8778 = 6.1347 with a different rounding
     * of D₄, so that one is checked to 5e-4.
     */
    @Test
    void nistIndividualsChart() throws Exception {
        List<Subgroup> batches = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/refdata/nist/flowrate_imr.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            batches.add(Subgroup.of(f[0], Long.parseLong(f[0]), null, null, Double.parseDouble(f[1])));
        }
        ControlChart.Limits l = ControlChart.fromBaseline(batches, 25, new String[1]);
        assertEquals(ControlChart.Type.I_MR, l.chart());
        assertEquals(10, l.baselineSubgroups());
        assertEquals(50.81, l.center(), 0.00005);
        assertEquals(1.8778, l.rangeCenter(), 0.00005);
        assertEquals(55.8041, l.ucl(), 0.00005);
        assertEquals(45.8159, l.lcl(), 0.00005);
        assertEquals(0, l.rangeLcl());
        assertEquals(6.1349, l.rangeUcl(), 0.0005);
    }

    /**
     * X̄–R, hand-computed with k = 4: {1,2,3,4}, {2,3,4,5}, {0,2,3,7} → X̿ = 3, R̄ = 13/3;
     * UCL = 3 + 0.729·13/3 = 6.159, LCL = −0.159; R chart D₃ = 0, D₄R̄ = 2.282·13/3 = 9.888667.
     */
    @Test
    void xbarRWithTheTabulatedFactors() {
        ControlChart.Limits l = ControlChart.fromBaseline(List.of(Subgroup.of("a", 1, null, null, 1, 2, 3, 4),
                Subgroup.of("b", 2, null, null, 2, 3, 4, 5), Subgroup.of("c", 3, null, null, 0, 2, 3, 7)), 25, new String[1]);
        assertEquals(ControlChart.Type.XBAR_R, l.chart());
        assertEquals(3, l.center(), 1e-12);
        assertEquals(6.159, l.ucl(), 1e-9);
        assertEquals(-0.159, l.lcl(), 1e-9);
        assertEquals(13.0 / 3, l.rangeCenter(), 1e-12);
        assertEquals(9.888667, l.rangeUcl(), 1e-6);
        assertEquals(0, l.rangeLcl());
        assertNull(l.note());
    }

    /**
     * X̄–S for k = 12: {1..12} and {2..13}, each s = √13 = 3.605551; X̿ = 7;
     * UCL = 7 + A₃·s̄ = 7 + 0.886·3.605551 = 10.194518; S chart B₃s̄ = 1.276365, B₄s̄ = 5.934737.
     */
    @Test
    void xbarSAboveTenPerSubgroup() {
        double[] a = new double[12];
        double[] b = new double[12];
        for (int i = 0; i < 12; i++) {
            a[i] = i + 1;
            b[i] = i + 2;
        }
        ControlChart.Limits l = ControlChart.fromBaseline(List.of(Subgroup.of("a", 1, null, null, a),
                Subgroup.of("b", 2, null, null, b)), 25, new String[1]);
        assertEquals(ControlChart.Type.XBAR_S, l.chart());
        assertEquals(7, l.center(), 1e-12);
        assertEquals(Math.sqrt(13), l.rangeCenter(), 1e-12);
        assertEquals(10.194518, l.ucl(), 1e-6);
        assertEquals(1.276365, l.rangeLcl(), 1e-6);
        assertEquals(5.934737, l.rangeUcl(), 1e-6);
    }

    @Test
    void onlyTheBaselineSetsTheLimits() {
        List<Subgroup> s = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            s.add(i < 3 ? Subgroup.of("g" + i, i, null, null, 1, 2, 3) : Subgroup.of("g" + i, i, null, null, 100, 200, 300));
        }
        ControlChart.Limits l = ControlChart.fromBaseline(s, 3, new String[1]);
        assertEquals(2, l.center(), 1e-12);
        assertEquals(3, l.baselineSubgroups());
    }

    @Test
    void mixedSizesAreNotedAndJudgedPerPoint() {
        ControlChart.Limits l = ControlChart.fromBaseline(List.of(Subgroup.of("a", 1, null, null, 1, 2, 3),
                Subgroup.of("b", 2, null, null, 1, 2, 3), Subgroup.of("c", 3, null, null, 1, 2, 3, 4, 5)), 25, new String[1]);
        assertEquals(3, l.k(), "modal size");
        assertNotNull(l.note());
        double sigma = (2 / 1.693 + 2 / 1.693 + 4 / 2.326) / 3;
        assertEquals(sigma, l.sigma(), 1e-12);
        assertEquals(sigma / Math.sqrt(5), l.sigmaOfPoint(5), 1e-12);
        assertEquals(l.center() + 3 * sigma / Math.sqrt(3), l.ucl(), 1e-12);
    }

    @Test
    void degenerateBaselinesSayWhy() {
        String[] why = new String[1];
        assertNull(ControlChart.fromBaseline(List.of(Subgroup.of("a", 1, null, null, 5)), 25, why));
        assertTrue(why[0].contains("at least 2"), why[0]);
        why[0] = null;
        ControlChart.Limits flat = ControlChart.fromBaseline(List.of(Subgroup.of("a", 1, null, null, 5, 5),
                Subgroup.of("b", 2, null, null, 5, 5)), 25, why);
        assertEquals(0, flat.sigma());
        assertTrue(why[0].contains("sigma = 0"), why[0]);
    }
}
