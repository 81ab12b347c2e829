package io.qualitylake.batch.report;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The font for Chinese text in charts and the page: the first installed of the families below
 * (Debian: fonts-noto-cjk, fonts-wqy-zenhei; .ci/run installs the latter), else Java's SansSerif.
 */
public final class CjkFont {
    /** Preferred families, best first. */
    public static final List<String> FAMILIES = List.of("Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC",
            "Microsoft YaHei", "PingFang SC");
    /** The same for CSS. */
    public static final String CSS_FAMILIES = FAMILIES.stream().map(f -> "'" + f + "'").collect(Collectors.joining(", "));
    /** Text the chosen font must draw: the enterprise level names of SPEC §5. */
    public static final String SAMPLE = "经验级检验级保证级预防级卓越级";

    private static final String FAMILY = find();

    private CjkFont() {}

    /** The installed family that can draw {@link #SAMPLE}, or null when none is installed. */
    public static String family() {
        return FAMILY;
    }

    /** {@code base} in the CJK family (same style and size), or {@code base} itself when none is installed. */
    static Font derive(Font base) {
        return FAMILY == null || base == null ? base : new Font(FAMILY, base.getStyle(), base.getSize());
    }

    private static String find() {
        System.setProperty("java.awt.headless", "true");
        Set<String> installed = Set.copyOf(Arrays.asList(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames()));
        for (String f : FAMILIES) {
            if (installed.contains(f) && new Font(f, Font.PLAIN, 12).canDisplayUpTo(SAMPLE) == -1) {
                return f;
            }
        }
        return null;
    }
}
