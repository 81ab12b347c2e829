package io.qualitylake.schemas;

import java.time.Instant;

/**
 * ISO-8601 instants with a zone, in the RFC 3339 profile that JSON Schema's {@code date-time}
 * uses: {@code 2026-03-01T08:15:30.123Z}, {@code 2026-03-01T16:15:30+08:00}; seconds required,
 * 0-9 fraction digits. Parsed by hand because {@code Instant.parse} dominates ingest cost, and so
 * that the validator accepts exactly what the published JSON Schema files accept.
 */
public final class Timestamps {
    private static final int[] DAYS_IN_MONTH = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Timestamps() {}

    /** The instant, or null when the text is not an ISO-8601 date-time with a zone. Never throws. */
    public static Instant parse(String s) {
        if (s == null) {
            return null;
        }
        return parseFast(s);
    }

    /** yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM); null for any other shape. */
    static Instant parseFast(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2);
        int hour = digits(s, 11, 2), minute = digits(s, 14, 2), second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int maxDay = DAYS_IN_MONTH[month - 1] + (month == 2 && isLeap(year) ? 1 : 0);
        if (day > maxDay) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (i < n && s.charAt(i) == '.') {
            i++;
            int start = i;
            while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                nanos = nanos * 10 + (s.charAt(i) - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || (i < n && isDigit(s.charAt(i)))) {
                return null;
            }
            for (int k = len; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && s.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
            int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (s.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay = epochDay(year, month, day);
        long secs = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(secs, nanos);
    }

    private static long epochDay(int y, int m, int d) {
        // Days from civil (proleptic Gregorian), the same arithmetic as LocalDate.toEpochDay.
        long total = 365L * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        }
        total += (367L * m - 362) / 12;
        total += d - 1;
        if (m > 2) {
            total--;
            if (!isLeap(y)) {
                total--;
            }
        }
        return total - 719_528L;
    }

    private static boolean isLeap(int y) {
        return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    }

    private static int digits(String s, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
