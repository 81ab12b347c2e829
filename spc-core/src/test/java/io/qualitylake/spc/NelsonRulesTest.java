package io.qualitylake.spc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule of Nelson (JQT 16(4), 1984) on a sequence of standardised points that fires it at the
 * point completing the pattern, and on the nearest sequence that just fails to.
 */
class NelsonRulesTest {
    private static boolean fires(int rule, int at, double... z) {
        return NelsonRules.evaluate(z).contains(new NelsonRules.Violation(at, rule));
    }

    private static boolean firesAnywhere(int rule, double... z) {
        return NelsonRules.evaluate(z).stream().anyMatch(v -> v.rule() == rule);
    }

    @Test
    void rule1OnePointBeyondThreeSigma() {
        assertTrue(fires(1, 1, 0, 3.01));
        assertTrue(fires(1, 1, 0, -3.01));
        assertFalse(firesAnywhere(1, 0, 3.0, -3.0), "exactly on the limit is not beyond it");
    }

    @Test
    void rule2NineInARowOnOneSide() {
        assertTrue(fires(2, 8, 0.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8));
        assertTrue(fires(2, 8, -0.1, -0.1, -0.1, -0.1, -0.1, -0.1, -0.1, -0.1, -0.1));
        assertFalse(firesAnywhere(2, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5), "eight, then a crossing");
        assertFalse(firesAnywhere(2, 0.5, 0.5, 0.5, 0.5, 0, 0.5, 0.5, 0.5, 0.5), "a point on the center line breaks the run");
    }

    @Test
    void rule3SixInARowIncreasingOrDecreasing() {
        assertTrue(fires(3, 5, -1.0, -0.6, -0.2, 0.2, 0.6, 1.0));
        assertTrue(fires(3, 5, 1.0, 0.6, 0.2, -0.2, -0.6, -1.0));
        assertFalse(firesAnywhere(3, -1.0, -0.6, -0.2, 0.2, 0.6, 0.5), "five rising, then a fall");
        assertFalse(firesAnywhere(3, -1.0, -0.6, -0.2, -0.2, 0.6, 1.0), "a tie breaks the trend");
    }

    @Test
    void rule4FourteenAlternating() {
        double[] z = new double[14];
        for (int i = 0; i < z.length; i++) {
            z[i] = i % 2 == 0 ? 0.5 : -0.5;
        }
        assertTrue(fires(4, 13, z));
        assertFalse(firesAnywhere(4, java.util.Arrays.copyOf(z, 13)), "thirteen alternating");
        z[7] = z[6];
        assertFalse(firesAnywhere(4, z), "one repeat breaks the alternation");
    }

    @Test
    void rule5TwoOfThreeBeyondTwoSigmaSameSide() {
        assertTrue(fires(5, 2, 2.5, 0, 2.5));
        assertTrue(fires(5, 2, 0, -2.1, -2.5));
        assertFalse(firesAnywhere(5, 2.5, 0, -2.5), "opposite sides");
        assertFalse(firesAnywhere(5, 2.5, 0, 0, 2.5), "two of four");
        assertFalse(firesAnywhere(5, 2.5, 0, 2.0), "the second is on, not beyond, 2σ");
    }

    @Test
    void rule6FourOfFiveBeyondOneSigmaSameSide() {
        assertTrue(fires(6, 4, 1.5, 1.5, 0, 1.5, 1.5));
        assertTrue(fires(6, 4, 0, -1.1, -1.2, -1.3, -1.4));
        assertFalse(firesAnywhere(6, 1.5, 0, 0, 1.5, 1.5), "three of five");
        assertFalse(firesAnywhere(6, 1.5, 1.5, -1.5, 1.5, -0.5), "three on one side, and the last point is inside");
    }

    @Test
    void aQuietSequenceFiresNothing() {
        assertTrue(NelsonRules.evaluate(new double[] {0.3, -0.2, 0.5, 0.1, -0.4, -0.1, 0.2, 0.0, -0.3}).isEmpty());
        assertTrue(List.of().equals(NelsonRules.evaluate(new double[0])));
    }

    /**
     * The streaming view (a window of the last {@link NelsonRules#WINDOW} points, one point at a time)
     * gives exactly the batch view over whole sequences: 2,000 seeded random sequences of 0–60 points,
     * drawn coarse (multiples of 0.5 in ±4) so ties, zeros and every rule occur often.
     */
    @Test
    void incrementalWindowEqualsTheWholeSequence() {
        java.util.Random random = new java.util.Random(42);
        int[] seen = new int[7];
        for (int run = 0; run < 2_000; run++) {
            double[] z = new double[random.nextInt(61)];
            for (int i = 0; i < z.length; i++) {
                z[i] = (random.nextInt(17) - 8) * 0.5;
            }
            java.util.List<NelsonRules.Violation> streamed = new java.util.ArrayList<>();
            double[] window = new double[0];
            for (int i = 0; i < z.length; i++) {
                window = NelsonRules.append(window, z[i]);
                int fired = NelsonRules.firedAtLast(window);
                for (int rule = 1; rule <= 6; rule++) {
                    if ((fired & NelsonRules.bit(rule)) != 0) {
                        streamed.add(new NelsonRules.Violation(i, rule));
                        seen[rule]++;
                    }
                }
                assertTrue(window.length <= NelsonRules.WINDOW);
            }
            assertTrue(NelsonRules.evaluate(z).equals(streamed), "run " + run);
        }
        for (int rule = 1; rule <= 6; rule++) {
            assertTrue(seen[rule] > 0, "rule " + rule + " occurred in the random sequences");
        }
    }
}
