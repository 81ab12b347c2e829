package io.qualitylake.streaming.ingest;

import io.qualitylake.cli.UserError;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "500ms", "10s", "5m", "1h", "7d" → Duration; anything else is a one-line user error. */
public final class Durations {
    private static final Pattern P = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String option, String text) {
        Matcher m = P.matcher(text.trim());
        if (!m.matches()) {
            throw new UserError(option + " '" + text + "' is not a duration like 500ms, 10s, 5m, 1h or 7d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
