package io.qualitylake.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    @Test
    void fastPathAgreesWithJavaTimeOnRandomInstants() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long secs = rnd.nextLong(0, 4_102_444_800L); // 1970..2100
            int nanos = rnd.nextInt(0, 1_000_000_000);
            int offsetMinutes = rnd.nextInt(-18 * 60, 18 * 60 + 1);
            OffsetDateTime odt = Instant.ofEpochSecond(secs, nanos).atOffset(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
            String text = odt.toString();
            if (text.length() < 20 || text.charAt(16) != ':') {
                continue; // java.time omits ":00" seconds; our fast path requires seconds
            }
            assertEquals(odt.toInstant(), Timestamps.parseFast(text), text);
        }
    }

    @Test
    void leapDays() {
        assertEquals(Instant.parse("2024-02-29T00:00:00Z"), Timestamps.parse("2024-02-29T00:00:00Z"));
        assertNull(Timestamps.parse("2026-02-29T00:00:00Z"));
        assertEquals(Instant.parse("2000-02-29T12:00:00Z"), Timestamps.parse("2000-02-29T12:00:00Z"));
        assertNull(Timestamps.parse("1900-02-29T00:00:00Z"));
    }

    @Test
    void onlyTheRfc3339ShapeIsAccepted() {
        assertNull(Timestamps.parse("2026-03-01T08:15Z"));      // seconds are required
        assertNull(Timestamps.parse("2026-03-01T08:15:00.Z"));  // a point needs digits
        assertNull(Timestamps.parse("2026-03-01T08:15:00+0800"));
        assertNull(Timestamps.parse("not a time"));
        assertNull(Timestamps.parse(null));
    }
}
