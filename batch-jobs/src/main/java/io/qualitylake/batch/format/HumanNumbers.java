package io.qualitylake.batch.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Numbers for people (table output, trace text, the HTML report): integers with thousands
 * separators, fractions to a few significant digits without binary noise ({@code 0.8500000000000001}
 * → {@code 0.85}), very small or very large magnitudes in scientific notation ({@code 6.294e-7}).
 * The integer part of a number is never rounded away. CSV and JSON keep raw values.
 */
public final class HumanNumbers {
    /** Significant digits for command-line output (trace, qlake sql): enough to compare with a spec limit. */
    public static final int TEXT_DIGITS = 6;
    /** Significant digits for the report's tables. */
    public static final int REPORT_DIGITS = 4;

    private HumanNumbers() {}

    /** Formats any number (boxed or BigDecimal); other values as {@link String#valueOf}. */
    public static String format(Object v, int significant) {
        if (v instanceof Double d) {
            return format(d.doubleValue(), significant);
        }
        if (v instanceof Float f) {
            return format(f.doubleValue(), significant);
        }
        if (v instanceof BigDecimal b) {
            return format(b, significant);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return grouped().format(((Number) v).longValue());
        }
        return String.valueOf(v);
    }

    public static String format(double x, int significant) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return Double.toString(x);
        }
        return format(new BigDecimal(x), significant);
    }

    static String format(BigDecimal x, int significant) {
        if (x.signum() == 0) {
            return "0";
        }
        double abs = x.abs().doubleValue();
        if (abs < 1e-4 || abs >= 1e15) {
            BigDecimal r = x.round(new MathContext(significant, RoundingMode.HALF_EVEN)).stripTrailingZeros();
            int exp = r.precision() - r.scale() - 1;
            BigDecimal mantissa = r.movePointLeft(exp).stripTrailingZeros();
            return mantissa.toPlainString() + "e" + exp;
        }
        int integerDigits = Math.max(0, x.precision() - x.scale());
        BigDecimal r = x.round(new MathContext(Math.max(significant, integerDigits), RoundingMode.HALF_EVEN)).stripTrailingZeros();
        DecimalFormat f = grouped();
        f.setMaximumFractionDigits(Math.max(0, r.scale()));
        f.setMinimumFractionDigits(0);
        return f.format(r);
    }

    private static DecimalFormat grouped() {
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_EVEN);
        return f;
    }
}
