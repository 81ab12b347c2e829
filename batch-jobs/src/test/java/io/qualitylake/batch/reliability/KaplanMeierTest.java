package io.qualitylake.batch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kaplan–Meier against published tables, to their printed digits (half a unit of the last digit). */
class KaplanMeierTest {
    /**
     * Miller's aml data (R package survival, data/cancer.rda; tests/doaml.Rout.save prints
     * summary(survfit(Surv(time, status) ~ x)) and notes the values match Miller's book).
     * Columns checked: n.risk, n.event, survival, std.err (Greenwood), and R's default "log"
     * bounds — the same Greenwood variance on another scale.
     */
    @Test
    void amlMaintainedArm() {
        double[] t = {9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161};
        boolean[] d = {true, true, false, true, true, false, true, true, false, true, false};
        List<KaplanMeier.Point> km = KaplanMeier.estimate(t, d);
        double[][] printed = { // time n.risk n.event survival std.err lower upper
            {9, 11, 1, 0.909, 0.0867, 0.7541, 1.000}, {13, 10, 1, 0.818, 0.1163, 0.6192, 1.000},
            {18, 8, 1, 0.716, 0.1397, 0.4884, 1.000}, {23, 7, 1, 0.614, 0.1526, 0.3769, 0.999},
            {31, 5, 1, 0.491, 0.1642, 0.2549, 0.946}, {34, 4, 1, 0.368, 0.1627, 0.1549, 0.875},
            {48, 2, 1, 0.184, 0.1535, 0.0359, 0.944}};
        assertTable(printed, km, new int[] {3, 4, 4, 3});
    }

    @Test
    void amlNonmaintainedArmWithTiesAndAnEndingFailure() {
        double[] t = {5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45};
        boolean[] d = {true, true, true, true, true, false, true, true, true, true, true, true};
        List<KaplanMeier.Point> km = KaplanMeier.estimate(t, d);
        double[][] printed = {
            {5, 12, 2, 0.8333, 0.1076, 0.6470, 1.000}, {8, 10, 2, 0.6667, 0.1361, 0.4468, 0.995},
            {12, 8, 1, 0.5833, 0.1423, 0.3616, 0.941}, {23, 6, 1, 0.4861, 0.1481, 0.2675, 0.883},
            {27, 5, 1, 0.3889, 0.1470, 0.1854, 0.816}, {30, 4, 1, 0.2917, 0.1387, 0.1148, 0.741},
            {33, 3, 1, 0.1944, 0.1219, 0.0569, 0.664}, {43, 2, 1, 0.0972, 0.0919, 0.0153, 0.620}};
        assertTable(printed, km.subList(0, 8), new int[] {4, 4, 4, 3});
        KaplanMeier.Point last = km.get(8);
        assertEquals(45, last.t());
        assertEquals(0.0, last.survival(), 1e-12);
        assertNull(last.lower(), "bounds are undefined where S = 0 (R prints NA)");
    }

    /**
     * Krivtsov &amp; Case automotive data: the Kaplan–Meier column printed by the reliability
     * library's documentation (docs/Kaplan-Meier.rst), 6 significant digits.
     */
    @Test
    void automotiveKaplanMeierColumn() {
        double[] f = {5248, 7454, 16890, 17200, 38700, 45000, 49390, 69040, 72280, 131900};
        double[] c = {3961, 4007, 4734, 6054, 7298, 10190, 23060, 27160, 28690, 37100, 40060, 45670, 53000, 67000,
                69630, 77350, 78470, 91680, 105700, 106300, 150400};
        List<KaplanMeier.Point> km = KaplanMeier.estimate(WeibullTest.concat(f, c), WeibullTest.flags(f.length, c.length));
        double[] printed = {0.964286, 0.925714, 0.885466, 0.845217, 0.795499, 0.742465, 0.685353, 0.616817, 0.539715, 0.269858};
        for (int i = 0; i < printed.length; i++) {
            assertEquals(f[i], km.get(i).t());
            assertEquals(printed[i], km.get(i).survival(), 5e-7);
        }
        assertEquals(28, km.get(0).atRisk());
    }

    /** Log-log bounds, hand-computed for aml Maintained at t = 9 (S = 10/11, Greenwood sum 1/110). */
    @Test
    void logLogBoundsByHand() {
        double s = 10.0 / 11;
        double sigma = Math.sqrt(1.0 / 110) / -Math.log(s); // 1.000366...
        double z = 1.959963984540054;
        double lower = Math.pow(s, Math.exp(z * sigma));   // 0.50812...
        double upper = Math.pow(s, Math.exp(-z * sigma));  // 0.98667...
        KaplanMeier.Point p = KaplanMeier.estimate(new double[] {9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161},
                new boolean[] {true, true, false, true, true, false, true, true, false, true, false}).get(0);
        assertEquals(lower, p.lower(), 1e-12);
        assertEquals(upper, p.upper(), 1e-12);
        assertEquals(0.5081, p.lower(), 5e-5);
        assertEquals(0.98667, p.upper(), 5e-6);
    }

    /** decimals: survival, std.err, lower, upper as printed. */
    private static void assertTable(double[][] printed, List<KaplanMeier.Point> km, int[] decimals) {
        assertEquals(printed.length, km.size());
        for (int i = 0; i < printed.length; i++) {
            double[] row = printed[i];
            KaplanMeier.Point p = km.get(i);
            assertEquals(row[0], p.t());
            assertEquals((int) row[1], p.atRisk());
            assertEquals((int) row[2], p.failures());
            assertEquals(row[3], p.survival(), half(decimals[0]), "survival at " + row[0]);
            assertEquals(row[4], p.stdErr(), half(decimals[1]), "std.err at " + row[0]);
            assertEquals(row[5], p.logLower(), half(decimals[2]), "lower at " + row[0]);
            assertEquals(row[6], p.logUpper(), half(decimals[3]), "upper at " + row[0]);
        }
    }

    private static double half(int decimals) {
        return 0.5 * Math.pow(10, -decimals) + 1e-12;
    }
}
