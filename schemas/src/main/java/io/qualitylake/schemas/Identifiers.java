package io.qualitylake.schemas;

/**
 * The identifier rules of SPEC §2. These values become partition directories and join keys,
 * so they are checked by hand-written loops (no regex on the ingest hot path).
 */
public final class Identifiers {
    /** {@code ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$} — every {@code *_id}, serial_no, product_model, batch_id, lot_id. */
    public static final String ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    /** {@code event_id}: 1–64 chars of {@code [A-Za-z0-9._:-]}. */
    public static final String EVENT_ID_PATTERN = "^[A-Za-z0-9._:-]{1,64}$";
    public static final int MAX_LENGTH = 64;

    private Identifiers() {}

    public static boolean isValidId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH || !isAlnum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidEventId(String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(isAlnum(c) || c == '.' || c == '_' || c == '-' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
