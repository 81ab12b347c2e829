package io.qualitylake.batch.format;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with a header rule; numeric columns right-aligned. Cells are already formatted. */
public final class TextTable {
    private final List<String> header;
    private final boolean[] numeric;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(List<String> header, boolean[] numeric) {
        this.header = header;
        this.numeric = numeric;
    }

    public void add(List<String> row) {
        rows.add(row);
    }

    public String render() {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = displayWidth(header.get(i));
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], displayWidth(r.get(i)));
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width);
        for (int i = 0; i < width.length; i++) {
            sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
        }
        sb.append('\n');
        rows.forEach(r -> line(sb, r, width));
        return sb.toString();
    }

    private void line(StringBuilder sb, List<String> cells, int[] width) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String c = cells.get(i);
            String pad = " ".repeat(width[i] - displayWidth(c));
            l.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + c : c + pad);
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** Terminal columns: East Asian wide characters (经验级) take two. */
    static int displayWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            Character.UnicodeBlock b = Character.UnicodeBlock.of(cp);
            boolean wide = b == Character.UnicodeBlock.CJK_UNIFIED_IDEOGRAPHS || b == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION
                    || b == Character.UnicodeBlock.HALFWIDTH_AND_FULLWIDTH_FORMS || b == Character.UnicodeBlock.HIRAGANA
                    || b == Character.UnicodeBlock.KATAKANA || b == Character.UnicodeBlock.HANGUL_SYLLABLES;
            w += wide ? 2 : 1;
        }
        return w;
    }
}
