package io.qualitylake.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CusumTest {
    /**
     * NIST/SEMATECH e-Handbook of Statistical Methods §6.3.2.3, "Cumulative Sum (CUSUM) Control Charts",
     * tabular CUSUM example (https://www.itl.nist.gov/div898/handbook/pmc/section3/pmc323.htm; the 20
     * subgroup means are in src/test/resources/refdata/nist/cusum_example.csv, see SOURCE.txt there):
     * target 325, σ = 0.635, k = 0.3175 (= 0.5σ), h = 4.1959. Printed: the first out-of-control point is
     * observation 14, and 14 through 20 are out of control. The sums at 13 and 14 are checked against
     * the hand computation 328.325 − 325.3175 = 3.0075 and 3.0075 + 327.25 − 325.3175 = 4.94
     * (floating point only: 1e-9).
     */
    @Test
    void nistHandbookTabularCusumExample() throws Exception {
        double[] x = NistCsv.column2("cusum_example.csv");
        double sigma = 0.635;
        Cusum.Params p = new Cusum.Params(0.3175 / sigma, 4.1959 / sigma);
        double up = 0;
        double down = 0;
        List<Integer> signals = new ArrayList<>();
        for (int i = 1; i <= x.length; i++) {
            Cusum.Point c = Cusum.next(p, 325, sigma, up, down, x[i - 1]);
            up = c.upper();
            down = c.lower();
            assertEquals(4.1959, c.decision(), 1e-12);
            if (i == 13) {
                assertEquals(3.0075, up, 1e-9);
            }
            if (i == 14) {
                assertEquals(4.94, up, 1e-9);
            }
            if (c.signalUp()) {
                signals.add(i);
            }
            assertEquals(false, c.signalDown(), "no downward signal in the example; point " + i);
        }
        assertEquals(List.of(14, 15, 16, 17, 18, 19, 20), signals);
    }

    @Test
    void theLowerSideAccumulatesShortfalls() {
        Cusum.Params p = new Cusum.Params(0.5, 4);
        Cusum.Point c = Cusum.next(p, 10, 1, 0, 0, 8); // 10 − 0.5 − 8 = 1.5
        assertEquals(1.5, c.lower(), 1e-12);
        c = Cusum.next(p, 10, 1, c.upper(), c.lower(), 7); // 1.5 + 2.5 = 4.0: not beyond h = 4
        assertEquals(false, c.signalDown());
        c = Cusum.next(p, 10, 1, c.upper(), c.lower(), 9); // 4.0 + 0.5 = 4.5
        assertEquals(true, c.signalDown());
        assertThrows(IllegalArgumentException.class, () -> new Cusum.Params(-1, 4));
        assertThrows(IllegalArgumentException.class, () -> new Cusum.Params(0.5, 0));
    }
}
