package io.qualitylake.batch.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Numbers for people: hand-worked cases, including the raw values the newcomer's probe saw. */
class HumanNumbersTest {
    @Test
    void binaryNoiseIsGoneAndSignificantDigitsAreKept() {
        assertEquals("0.85", HumanNumbers.format(0.8500000000000001, 6)); // the next double above 0.85, as a sum of limits prints
        assertEquals("0.75", HumanNumbers.format(0.75, 6));
        assertEquals("0.3333", HumanNumbers.format(1.0 / 3, 4));
        assertEquals("1.333", HumanNumbers.format(4.0 / 3, 4));
        assertEquals("0", HumanNumbers.format(0.0, 4));
        assertEquals("-2.5", HumanNumbers.format(-2.5, 4));
    }

    @Test
    void tinyAndHugeMagnitudesAreScientific() {
        assertEquals("6.294e-7", HumanNumbers.format(6.29373641913844E-7, 4));
        assertEquals("-1.5e-5", HumanNumbers.format(-0.000015, 4));
        assertEquals("1e20", HumanNumbers.format(1e20, 4));
        assertEquals("0.0001235", HumanNumbers.format(0.00012345678, 4), "1e-4 and up stay plain");
    }

    @Test
    void integerPartsAreGroupedAndNeverRoundedAway() {
        assertEquals("11,328", HumanNumbers.format((Object) 11_328L, 4));
        assertEquals("1,234,568", HumanNumbers.format(1_234_567.891, 4));
        assertEquals("12,345.7", HumanNumbers.format(12_345.678, 6));
        assertEquals("-7", HumanNumbers.format((Object) (-7), 4));
        assertEquals("1,234.57", HumanNumbers.format((Object) new BigDecimal("1234.5678"), 6));
    }

    @Test
    void nonNumbersAndNonFiniteValuesPassThrough() {
        assertEquals("NaN", HumanNumbers.format(Double.NaN, 4));
        assertEquals("Infinity", HumanNumbers.format(Double.POSITIVE_INFINITY, 4));
        assertEquals("P01", HumanNumbers.format((Object) "P01", 4));
        assertEquals("[a]", HumanNumbers.format((Object) List.of("a"), 4));
    }

    @Test
    void tablesAlignWideCharacters() {
        TextTable t = new TextTable(List.of("level_cn", "n"), new boolean[] {false, true});
        t.add(List.of("经验级", "1,234"));
        t.add(List.of("AA", "5"));
        assertEquals(String.join("\n", "level_cn      n", "--------  -----", "经验级    1,234", "AA            5", ""), t.render());
    }
}
