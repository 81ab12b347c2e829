package io.qualitylake.spc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The tabulated factors (ASTM MNL 7 / Montgomery, Appendix VI) checked against their definitions, so
 * a mistyped digit cannot hide: d₂ against the integral of the expected range, c₄ against its Gamma
 * closed form, and the derived factors against d₂, d₃, c₄. Tolerances are the table's rounding: the
 * table prints 3 decimals (4 for c₄), and the derived factors were computed there from unrounded
 * d₂, d₃, so recomputing them from the rounded ones may move the last digit by up to 2.
 */
class ChartConstantsTest {
    @Test
    void d2AndC4MatchTheirDefinitions() {
        for (int k = 2; k <= ChartConstants.MAX_TABULATED; k++) {
            assertEquals(ChartConstants.d2Exact(k), ChartConstants.d2(k), 0.0005, "d2(" + k + ")");
            assertEquals(ChartConstants.c4Exact(k), ChartConstants.c4(k), 0.00005, "c4(" + k + ")");
        }
    }

    @Test
    void derivedFactorsFollowFromD2D3C4() {
        for (int k = 2; k <= ChartConstants.MAX_TABULATED; k++) {
            double d2 = ChartConstants.d2(k);
            double d3 = ChartConstants.d3(k);
            double c4 = ChartConstants.c4(k);
            String at = " at k=" + k;
            assertEquals(3 / (d2 * Math.sqrt(k)), ChartConstants.a2(k), 0.002, "A2" + at);
            assertEquals(3 / (c4 * Math.sqrt(k)), ChartConstants.a3(k), 0.002, "A3" + at);
            assertEquals(Math.max(0, 1 - 3 * d3 / d2), ChartConstants.upperD3(k), 0.002, "D3" + at);
            assertEquals(1 + 3 * d3 / d2, ChartConstants.upperD4(k), 0.002, "D4" + at);
            double spread = 3 * Math.sqrt(1 - c4 * c4) / c4;
            assertEquals(Math.max(0, 1 - spread), ChartConstants.b3(k), 0.002, "B3" + at);
            assertEquals(1 + spread, ChartConstants.b4(k), 0.002, "B4" + at);
        }
    }

    @Test
    void beyondTheTableTheDefinitionsContinueSmoothly() {
        assertEquals(3.931, ChartConstants.d2Exact(25), 0.0005);
        double d26 = ChartConstants.d2(26);
        double d30 = ChartConstants.d2(30);
        assertEquals(3.964, d26, 0.001, "d2(26): published extended tables print 3.964");
        assertEquals(4.086, d30, 0.001, "d2(30): published extended tables print 4.086");
        assertEquals(ChartConstants.c4Exact(50), ChartConstants.c4(50), 0);
        assertThrows(IllegalArgumentException.class, () -> ChartConstants.a2(26));
        assertThrows(IllegalArgumentException.class, () -> ChartConstants.d2(1));
    }
}
