package io.qualitylake.ingestion.simulate;

import io.qualitylake.schemas.Reason;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The fault plan: which valid records are delayed (out of order, late), repeated (exact
 * duplicates) or accompanied by a malformed twin, and the tally of what was injected.
 * Every malformed kind maps to the quarantine reason the validator must give it.
 */
final class Faults {
    enum Fate { NORMAL, OUT_OF_ORDER, LATE }

    /** Corruptions, each with the reason code the validator must report. */
    enum Kind {
        TRUNCATED(Reason.INVALID_JSON), MISSING_EVENT_ID(Reason.MISSING_FIELD), PLANT_NOT_A_STRING(Reason.BAD_TYPE),
        PATH_IN_PLANT_ID(Reason.BAD_IDENTIFIER), MAJOR_VERSION_2(Reason.UNKNOWN_SCHEMA),
        UNKNOWN_EVENT_TYPE(Reason.UNKNOWN_TYPE), FAR_FUTURE(Reason.BAD_TIME), NAN_VALUE(Reason.NON_FINITE);

        final Reason reason;

        Kind(Reason reason) {
            this.reason = reason;
        }
    }

    static final long MINUTE = 60_000L;
    /** Out-of-order records arrive up to this late: within the ingest job's default 1 h bound. */
    static final long MAX_OUT_OF_ORDER = 30 * MINUTE;
    /** Late records arrive 2-3 days after their event time: behind any sensible watermark. */
    static final long LATE_MIN = 2 * 1440 * MINUTE;

    private final SimulationConfig config;
    long duplicates;
    long malformed;
    long late;
    long outOfOrder;
    final Map<Reason, Long> malformedByReason = new EnumMap<>(Reason.class);

    Faults(SimulationConfig config) {
        this.config = config;
    }

    SplittableRandom random(long order) {
        return Rng.of(config.seed(), 5, order);
    }

    Fate fate(SplittableRandom r) {
        double u = r.nextDouble();
        if (u < config.lateRate()) {
            late++;
            return Fate.LATE;
        }
        if (u < config.lateRate() + config.outOfOrderRate()) {
            outOfOrder++;
            return Fate.OUT_OF_ORDER;
        }
        return Fate.NORMAL;
    }

    boolean duplicate(SplittableRandom r) {
        boolean d = Rng.chance(r, config.duplicateRate());
        if (d) {
            duplicates++;
        }
        return d;
    }

    boolean malformed(SplittableRandom r) {
        return Rng.chance(r, config.malformedRate());
    }

    long lateDelayMillis(SplittableRandom r) {
        return LATE_MIN + (long) (r.nextDouble() * 1440 * MINUTE);
    }

    long outOfOrderDelayMillis(SplittableRandom r) {
        return MINUTE + (long) (r.nextDouble() * (MAX_OUT_OF_ORDER - MINUTE));
    }

    long duplicateDelayMillis(SplittableRandom r) {
        return (long) (r.nextDouble() * 6 * 60 * MINUTE);
    }

    /** A malformed twin of a valid record; counted by the reason the validator must give. */
    byte[] corrupt(SplittableRandom r, byte[] valid) {
        String s = new String(valid, StandardCharsets.UTF_8);
        Kind kind = Kind.values()[r.nextInt(Kind.values().length)];
        if (kind == Kind.NAN_VALUE && !s.contains("\"value\":")) {
            kind = Kind.TRUNCATED; // only measurements have a free numeric value
        }
        String bad = switch (kind) {
            case TRUNCATED -> s.substring(0, s.length() / 2);
            case MISSING_EVENT_ID -> s.replaceFirst("\"event_id\":\"[^\"]*\",", "");
            case PLANT_NOT_A_STRING -> s.replaceFirst("\"plant_id\":\"[^\"]*\"", "\"plant_id\":7");
            case PATH_IN_PLANT_ID -> s.replaceFirst("\"plant_id\":\"", "\"plant_id\":\"../");
            case MAJOR_VERSION_2 -> s.replaceFirst("/1\",", "/2\",");
            case UNKNOWN_EVENT_TYPE -> s.replaceFirst("\"event_type\":\"[A-Z_]*\"", "\"event_type\":\"UNIT_TELEPORTED\"");
            case FAR_FUTURE -> s.replaceFirst("\"event_time\":\"[^\"]*\"", "\"event_time\":\"2999-01-01T00:00:00.000Z\"");
            case NAN_VALUE -> s.replaceFirst("\"value\":[-0-9.Ee]+", "\"value\":NaN");
        };
        malformed++;
        malformedByReason.merge(kind.reason, 1L, Long::sum);
        return bad.getBytes(StandardCharsets.UTF_8);
    }
}
