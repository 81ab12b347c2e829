package io.qualitylake.batch.grading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TopsisTest {
    /**
     * Hand-computed: three lines, FPY (benefit) and AFR ratio (cost):
     * A = (0.90, 3.0), B = (0.95, 2.0), C = (0.80, 1.0).
     * Entropy: FPY min–max → (2/3, 1, 0), p = (0.4, 0.6, 0), e = (0.366516 + 0.306495)/ln 3 = 0.612602;
     * AFR (cost) → (0, 0.5, 1), p = (0, 1/3, 2/3), e = (0.366204 + 0.270310)/ln 3 = 0.579380;
     * w = (0.387398, 0.420620)/0.808018 = (0.479443, 0.520557).
     * Vector norms √(0.81+0.9025+0.64) = 1.533786, √14 = 3.741657; weighted values, ideal
     * (max FPY, min AFR), anti-ideal (min FPY, max AFR), closeness C = D⁻/(D⁺ + D⁻):
     * A 0.100852, B 0.513445, C 0.855790 (C is best: far lower AFR outweighs its lower FPY).
     */
    @Test
    void handComputedExample() {
        Topsis.Result r = Topsis.rank(new double[][] {{0.90, 3.0}, {0.95, 2.0}, {0.80, 1.0}}, new boolean[] {true, false});
        assertArrayEquals(new double[] {0.479443, 0.520557}, r.weights(), 1e-6);
        assertArrayEquals(new double[] {0.100852, 0.513445, 0.855790}, r.closeness(), 1e-6);
    }

    @Test
    void aCriterionOnWhichAllAgreeCarriesNoWeight() {
        Topsis.Result r = Topsis.rank(new double[][] {{1, 5}, {2, 5}, {3, 5}}, new boolean[] {true, true});
        assertEquals(1.0, r.weights()[0], 1e-12);
        assertEquals(0.0, r.weights()[1], 1e-12);
        assertEquals(1.0, r.closeness()[2], 1e-12);
        assertEquals(0.0, r.closeness()[0], 1e-12);
    }

    @Test
    void identicalAlternativesAreNeutral() {
        Topsis.Result r = Topsis.rank(new double[][] {{1, 1}, {1, 1}}, new boolean[] {true, false});
        assertArrayEquals(new double[] {0.5, 0.5}, r.weights(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5}, r.closeness(), 1e-12);
    }
}
