package io.qualitylake.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EwmaTest {
    /**
     * NIST/SEMATECH e-Handbook of Statistical Methods §6.3.2.4, "EWMA Control Charts", sample data
     * (https://www.itl.nist.gov/div898/handbook/pmc/section3/pmc324.htm; the 20 points are in
     * src/test/resources/refdata/nist/ewma_example.csv, see SOURCE.txt there): λ = 0.3, L = 3, target
     * EWMA₀ = 50, s = 2.0539. Printed: EWMA₁…₂₀ = 50.60 49.52 … 51.99 (2 decimals, so checked to
     * 0.005), asymptotic limits UCL 52.5884 / LCL 47.4115 (4 decimals; 50 − 2.58843 = 47.41157 rounds to
     * …16 here, so 1e-4), and no point out of control.
     */
    @Test
    void nistHandbookEwmaExample() throws Exception {
        double[] x = NistCsv.column2("ewma_example.csv");
        double[] printed = {50.60, 49.52, 50.56, 50.18, 50.16, 49.21, 49.75, 49.85, 50.26, 50.33, 50.11, 49.36, 49.52,
                50.05, 49.38, 49.92, 50.73, 51.23, 51.94, 51.99};
        Ewma.Params p = new Ewma.Params(0.3, 3);
        double previous = 50;
        Ewma.Point last = null;
        for (int i = 1; i <= x.length; i++) {
            last = Ewma.next(p, 50, 2.0539, i, previous, x[i - 1]);
            previous = last.statistic();
            assertEquals(printed[i - 1], last.statistic(), 0.005, "EWMA_" + i);
            assertFalse(last.signal(), "the handbook finds no point out of control; point " + i);
        }
        assertEquals(52.5884, last.ucl(), 1e-4, "after 20 points the limits equal the asymptotic ones");
        assertEquals(47.4115, last.lcl(), 1e-4);
    }

    /** The exact limits at i = 1 are Lσλ (hand: √(λ/(2−λ)·(1 − (1−λ)²)) = √(λ²) = λ), narrower than the asymptote. */
    @Test
    void firstPointLimitsAreLambdaTimesLSigma() {
        Ewma.Point first = Ewma.next(new Ewma.Params(0.3, 3), 50, 2.0539, 1, 50, 52.0);
        assertEquals(50 + 3 * 2.0539 * 0.3, first.ucl(), 1e-12);
        assertEquals((50.6 - 50) / (2.0539 * 0.3), first.z(), 1e-12);
    }

    @Test
    void aShiftBeyondTheLimitsSignalsAndBadParametersAreRefused() {
        Ewma.Point p = Ewma.next(new Ewma.Params(0.2, 3), 0, 1, 1, 0, 10);
        assertTrue(p.signal(), "2.0 against a limit of 3·0.2 = 0.6");
        assertThrows(IllegalArgumentException.class, () -> new Ewma.Params(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new Ewma.Params(1.5, 3));
        assertThrows(IllegalArgumentException.class, () -> new Ewma.Params(0.2, -1));
    }
}
