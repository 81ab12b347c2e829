package io.qualitylake.batch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Crow-AMSAA for many time-terminated systems against a published example and hand-computed cases. */
class CrowAmsaaTest {
    /**
     * Crow (1975), "Reliability Analysis for Complex, Repairable Systems", AMSAA Technical Report
     * No. 138 (the multi-system example reused in MIL-HDBK-189 and ReliaSoft RGA's "Repairable Systems
     * Analysis" chapter; also the `amsaa` data set of the R package mcotear): three systems observed
     * for 200 hours each. Printed estimates: β̂ = 0.615, λ̂ = 0.461 (three decimals; checked to half a
     * unit in the last printed digit).
     */
    @Test
    void crow1975ThreeSystemsTimeTerminated() {
        double[][] ages = {
            {4.3, 4.4, 10.2, 23.5, 23.8, 26.4, 74.0, 77.1, 92.1, 197.2},
            {0.1, 5.6, 18.6, 19.5, 24.2, 26.7, 45.1, 45.8, 75.7, 79.7, 98.6, 120.1, 161.8, 180.6, 190.8},
            {8.4, 32.5, 44.7, 48.4, 50.6, 73.6, 98.7, 112.2, 129.8, 136.0, 195.8},
        };
        CrowAmsaa.Fit f = CrowAmsaa.fit(new double[] {200, 200, 200}, ages);
        assertEquals(36, f.failures());
        assertEquals(3, f.systems());
        assertEquals(0.615, f.beta(), 0.0005);
        assertEquals(0.461, f.lambda(), 0.0005);
        assertEquals("IMPROVING", f.trend(), "β_hi < 1: the fleet's failure intensity falls with age");
        assertEquals(600.0 / 36, f.cumMtbf(), 1e-12);
    }

    /**
     * By hand: system 1 observed to 10 with recurrences at 2, 5, 8; system 2 to 20 with 4, 10. N = 5;
     * Σ ln(T/t) = ln 5 + ln 2 + ln 1.25 + ln 5 + ln 2 = ln 125, β̂ = 5 / ln 125 = 1.035558;
     * λ̂ = 5 / (10^β̂ + 20^β̂) = 0.151052. Bounds with χ²(10) quantiles from the NIST/SEMATECH
     * e-Handbook table 1.3.6.7.4 (χ²_{0.025} = 3.247, χ²_{0.975} = 20.483): β̂·3.247/10 = 0.336246,
     * β̂·20.483/10 = 2.121134 (table rounding 5e-4 relative). Cumulative MTBF = 30/5 = 6;
     * instantaneous MTBF at the mean age 15 = 1/(λ̂β̂·15^(β̂−1)) = 5.806047. Laplace:
     * U = (29 − (3·5 + 2·10)) / √(3·100/12 + 2·400/12) = −0.626680, p = 2(1 − Φ(0.62668)) = 0.5309.
     */
    @Test
    void handComputedTwoSystems() {
        CrowAmsaa.Fit f = CrowAmsaa.fit(new double[] {10, 20}, new double[][] {{2, 5, 8}, {4, 10}});
        assertEquals(1.0355582242660195, f.beta(), 1e-12);
        assertEquals(0.1510515655717933, f.lambda(), 1e-12);
        assertEquals(0.336246, f.betaLo(), 0.336 * 5e-4);
        assertEquals(2.121134, f.betaHi(), 2.12 * 5e-4);
        assertEquals(6.0, f.cumMtbf(), 1e-12);
        assertEquals(5.806046774452411, f.instMtbf(), 1e-9);
        assertEquals(-0.6266795614405122, f.laplaceStat(), 1e-12);
        assertEquals(0.5309, f.laplaceP(), 1e-4);
        assertEquals("STABLE", f.trend());
    }

    @Test
    void tooFewRecurrencesGiveNullsAndAReason() {
        CrowAmsaa.Fit f = CrowAmsaa.fit(new double[] {10, 20}, new double[][] {{2}, {}});
        assertNull(f.beta());
        assertNull(f.trend());
        assertTrue(f.reason().contains("fewer than 3"), f.reason());
        CrowAmsaa.Fit none = CrowAmsaa.fit(new double[0], new double[0][]);
        assertEquals(0, none.systems());
        assertTrue(none.reason() != null);
    }

    @Test
    void recurrencesAtAgeZeroAreNotUsed() {
        CrowAmsaa.Fit f = CrowAmsaa.fit(new double[] {10, 20}, new double[][] {{0, 2, 5, 8}, {4, 10}});
        assertEquals(5, f.failures());
        assertEquals(1.0355582242660195, f.beta(), 1e-12);
    }
}
