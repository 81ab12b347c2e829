package io.qualitylake.ingestion.simulate;

import io.qualitylake.ingestion.sink.EventSink;
import io.qualitylake.ingestion.sink.InMemorySink;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.schemas.EventType;
import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.Measurement;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.Reason;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.UnitCompleted;
import io.qualitylake.schemas.ValidationResult;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.math3.distribution.WeibullDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The simulator's output against its own truth.json, checked by independent statistics. */
class SimulatorTest {
    /** A mid-sized world: 8 plants, 16 lines, 40 days, 60 units per line and day. */
    static final SimulationConfig CONFIG = new SimulationConfig(7, 8, 40, LocalDate.of(2026, 1, 1), 60, 8,
            0.01, 0.005, 0.02, 0.002);
    static final Instant INGEST = Instant.parse("2026-11-21T00:00:00Z");

    static List<byte[]> records;
    static Truth truth;
    static World world;

    @BeforeAll
    static void simulate() {
        InMemorySink sink = new InMemorySink(); // the test world is ~200k records
        Simulator sim = new Simulator(CONFIG);
        truth = sim.run(sink, d -> {});
        records = sink.records();
        world = sim.world();
    }

    @Test
    void sameSeedGivesByteIdenticalOutputAndAnotherSeedDoesNot() throws Exception {
        assertArrayEquals(digest(CONFIG), digest(CONFIG));
        assertFalse(java.util.Arrays.equals(digest(CONFIG), digest(CONFIG.withSeed(8))));
    }

    private static byte[] digest(SimulationConfig c) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        SimulationConfig small = c.withScale(4, 20, 10);
        new Simulator(small).run(new EventSink() {
            @Override
            public void send(Topic topic, String key, byte[] value) {
                md.update(topic.topicName().getBytes());
                md.update(key.getBytes());
                md.update(value);
            }

            @Override
            public void close() {}
        }, d -> {});
        return md.digest();
    }

    @Test
    void recordsEqualCountsPlusDuplicatesPlusMalformedAndEveryFaultIsRecognisable() {
        EventValidator v = new EventValidator();
        Map<EventType, Long> valid = new EnumMap<>(EventType.class);
        Map<Reason, Long> rejected = new EnumMap<>(Reason.class);
        Set<String> ids = new HashSet<>();
        long duplicates = 0;
        for (byte[] r : records) {
            ValidationResult res = v.validate(r, null, INGEST);
            if (res instanceof ValidationResult.Valid ok) {
                if (ids.add(ok.event().eventId())) {
                    valid.merge(ok.event().eventType(), 1L, Long::sum);
                } else {
                    duplicates++;
                }
            } else {
                rejected.merge(((ValidationResult.Invalid) res).reason(), 1L, Long::sum);
            }
        }
        Map<String, Object> injected = truth.injected();
        assertEquals(truth.records(), records.size());
        assertEquals(injected.get("duplicates"), duplicates);
        long malformed = rejected.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(injected.get("malformed"), malformed);
        for (EventType t : EventType.values()) {
            assertEquals(truth.counts().get(t.name()), valid.getOrDefault(t, 0L), t.name());
        }
        long sumCounts = truth.counts().values().stream().mapToLong(Long::longValue).sum();
        assertEquals(truth.records(), sumCounts + duplicates + malformed);
        @SuppressWarnings("unchecked")
        Map<String, Long> byReason = (Map<String, Long>) injected.get("malformed_by_reason");
        rejected.forEach((reason, n) -> assertEquals(byReason.get(reason.name()), n, reason.name()));
        assertTrue(rejected.size() >= 6, "several kinds of malformed records: " + rejected);
        assertTrue((long) injected.get("late") > 0 && (long) injected.get("out_of_order") > 0);
    }

    @Test
    void empiricalFirstPassYieldMatchesThePlantedProbability() {
        Map<String, long[]> perLine = new HashMap<>();
        EventValidator v = new EventValidator();
        Set<String> seen = new HashSet<>();
        for (byte[] r : records) {
            if (v.validate(r, null, INGEST) instanceof ValidationResult.Valid ok && ok.event() instanceof UnitCompleted u
                    && seen.add(u.eventId())) {
                long[] c = perLine.computeIfAbsent(u.lineId(), k -> new long[2]);
                c[0]++;
                c[1] += u.firstPass() ? 1 : 0;
            }
        }
        for (World.Line line : world.lines()) {
            long[] c = perLine.get(line.lineId());
            double p = line.fpy();
            double se = Math.sqrt(p * (1 - p) / c[0]);
            double observed = c[1] / (double) c[0];
            // 4.5 standard errors: 16 lines, a false failure has probability < 1e-4
            assertEquals(p, observed, 4.5 * se, line.lineId() + " n=" + c[0]);
        }
    }

    @Test
    void empiricalCpkOfStableCharacteristicsIsWithinPointOneOfThePlantedCpk() {
        Map<String, SummaryStatistics> stats = new HashMap<>();
        EventValidator v = new EventValidator();
        Set<String> seen = new HashSet<>();
        for (byte[] r : records) {
            if (v.validate(r, null, INGEST) instanceof ValidationResult.Valid ok && ok.event() instanceof Measurement m
                    && seen.add(m.eventId())) {
                stats.computeIfAbsent(m.characteristicId(), k -> new SummaryStatistics()).addValue(m.value());
            }
        }
        int checked = 0;
        for (World.Line line : world.lines()) {
            for (World.Characteristic ch : line.characteristics()) {
                if (ch == world.drift().characteristic()) {
                    continue;
                }
                SummaryStatistics s = stats.get(ch.characteristicId());
                assertNotNull(s, ch.characteristicId());
                if (ch.lognormal()) {
                    continue; // checked on the log scale below
                }
                double cpk = Math.min(ch.usl() - s.getMean(), s.getMean() - ch.lsl()) / (3 * s.getStandardDeviation());
                // n = 1,600 values: SE(Cpk) ~ sqrt(1/9n + Cpk^2/2n) <= 0.04 for Cpk <= 2.2; 0.1 is ~2.5 SE
                assertEquals(ch.cpk(), cpk, 0.1, ch.characteristicId() + " n=" + s.getN());
                checked++;
            }
        }
        assertEquals(world.lines().size() * 4 - 1, checked);
    }

    @Test
    void driftingCharacteristicShiftsByThePlantedSigmaFromItsStartDay() {
        World.Drift d = world.drift();
        SummaryStatistics before = new SummaryStatistics();
        SummaryStatistics after = new SummaryStatistics();
        EventValidator v = new EventValidator();
        Instant start = CONFIG.start().plusDays(d.startDay()).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        for (byte[] r : records) {
            if (v.validate(r, null, INGEST) instanceof ValidationResult.Valid ok && ok.event() instanceof Measurement m
                    && m.characteristicId().equals(d.characteristic().characteristicId())) {
                (m.eventTime().isBefore(start) ? before : after).addValue(m.value());
            }
        }
        double shift = (after.getMean() - before.getMean()) / d.characteristic().sigma();
        assertEquals(d.shiftSigma(), shift, 0.15);
    }

    /**
     * The planted skewed characteristic: its logs are normal with the planted log-mean and log-σ
     * (n = 1,600: SE of the log-mean 0.35/40 ≈ 0.009, of the log-σ 0.35/√3200 ≈ 0.006; ±0.03 is over
     * 3 SE) and its true percentile Cpk follows from them and the one-sided USL.
     */
    @Test
    void skewedCharacteristicIsLognormalAsPlanted() {
        World.Characteristic ch = world.lines().stream().flatMap(l -> l.characteristics().stream())
                .filter(World.Characteristic::lognormal).findFirst().orElseThrow();
        assertEquals(1, world.lines().stream().flatMap(l -> l.characteristics().stream()).filter(World.Characteristic::lognormal).count());
        assertTrue(ch.critical());
        SummaryStatistics logs = new SummaryStatistics();
        EventValidator v = new EventValidator();
        for (byte[] r : records) {
            if (v.validate(r, null, INGEST) instanceof ValidationResult.Valid ok && ok.event() instanceof Measurement m
                    && m.characteristicId().equals(ch.characteristicId())) {
                assertNull(m.lsl(), "one-sided spec");
                logs.addValue(Math.log(m.value()));
            }
        }
        assertEquals(ch.logMean(), logs.getMean(), 0.03);
        assertEquals(ch.logSigma(), logs.getStandardDeviation(), 0.03);
        // percentile Cpk by hand: (0.035 − 0.010) / (0.010·(e^{3·0.35} − 1)) = 1.34579
        assertEquals(1.34579, ch.cpkPct(), 1e-5);
        @SuppressWarnings("unchecked")
        Map<String, Object> t = ((List<Map<String, Object>>) truth.asMap().get("characteristics")).stream()
                .filter(c -> c.get("characteristic_id").equals(ch.characteristicId())).findFirst().orElseThrow();
        assertEquals("LOGNORMAL", t.get("distribution"));
        assertEquals(1.34579, ((Number) t.get("cpk_pct")).doubleValue(), 1e-5);
    }

    @Test
    void sampledLifetimesFitThePlantedWeibull() {
        Units units = new Units(world);
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        for (World.Line line : world.lines()) {
            double[] lives = new double[3000];
            int n = 0;
            for (int seq = 0; n < lives.length; seq++) {
                Units.Unit u = units.unit(Units.key(line.index(), seq / 60, seq % 60));
                if (u.installed() && !u.badLot() && seq / 60 < 1000) {
                    lives[n++] = units.lifeDays(u);
                } else if (u.badLot()) {
                    break;
                }
            }
            if (n < lives.length) {
                continue; // the bad-lot line is checked below
            }
            WeibullDistribution planted = new WeibullDistribution(world.lifeBeta(line.product(), line.plant()),
                    world.lifeEta(line.product(), line.plant()));
            double p = ks.kolmogorovSmirnovTest(planted, lives);
            assertTrue(p > 0.001, line.lineId() + " KS p=" + p);
        }
        World.BadLot bad = world.badLot();
        World.Line badLine = world.lines().stream().filter(l -> l.plant() == bad.plant() && l.product() == bad.product())
                .findFirst().orElseThrow();
        List<Double> lives = new ArrayList<>();
        for (int seq = 0; lives.size() < 3000; seq++) {
            Units.Unit u = units.unit(Units.key(badLine.index(), seq / 60, seq % 60));
            if (u.installed()) {
                lives.add(units.lifeDays(u));
            }
        }
        double p = ks.kolmogorovSmirnovTest(new WeibullDistribution(bad.beta(), bad.eta()),
                lives.stream().mapToDouble(Double::doubleValue).toArray());
        assertTrue(p > 0.001, "bad lot KS p=" + p);
        assertTrue(bad.beta() < 1 && bad.hazardRatio() >= 5, "early-life failures, hazard ratio " + bad.hazardRatio());
    }

    /**
     * The repairable model's recurrences follow the planted power law: for an NHPP with
     * Λ(t) = λt^β, the increments Λ(a_k) − Λ(a_{k−1}) between a unit's successive failure ages are
     * independent standard exponentials (time-rescaling theorem), whatever β. A KS test of 3000
     * increments per plant against Exp(1) at p &gt; 0.001 fails a correct generator once in 1000.
     */
    @Test
    void repeatFailuresFollowThePlantedPowerLaw() {
        Units units = new Units(world);
        assertFalse(world.repairable().isEmpty());
        assertEquals(1, world.repairable().stream().filter(r -> r.beta() > 1).count(), "exactly one plant worsening");
        KolmogorovSmirnovTest ks = new KolmogorovSmirnovTest();
        for (World.Repairable rep : world.repairable()) {
            World.Line line = world.lines().stream().filter(l -> l.plant() == rep.plant() && l.product() == rep.product())
                    .findFirst().orElseThrow();
            double[] gaps = new double[3000];
            int n = 0;
            for (int seq = 0; n < gaps.length; seq++) {
                Units.Unit u = units.unit(Units.key(line.index(), seq / 60, seq % 60));
                if (!u.installed()) {
                    continue;
                }
                double prev = rep.lambda() * Math.pow(units.lifeDays(u), rep.beta());
                for (int k = 2; k <= 4 && n < gaps.length; k++) {
                    Units.Recurrence r = units.recurrence(u, k);
                    double age = (r.failMillis() - u.installMillis()) / (double) Units.MILLIS_PER_DAY;
                    double cum = rep.lambda() * Math.pow(age, rep.beta());
                    gaps[n++] = cum - prev;
                    prev = cum;
                    assertEquals(r.warranty(), age < rep.product().warrantyMonths() * 30.4375);
                }
            }
            double p = ks.kolmogorovSmirnovTest(new org.apache.commons.math3.distribution.ExponentialDistribution(1.0), gaps);
            assertTrue(p > 0.001, rep.plant().plantId() + " KS p=" + p);
        }
        // repeat failures reach the event stream with their own ids
        java.util.regex.Pattern second = java.util.regex.Pattern.compile("\"event_id\":\"F-[^\"]*-2\"");
        // (the 40-day world is too young for many; a small 3-year world has them)
        InMemorySink sink = new InMemorySink();
        Truth longRun = new Simulator(new SimulationConfig(7, 2, 1095, LocalDate.of(2024, 1, 1), 4, 0, 0, 0, 0, 0)).run(sink, d -> {});
        long repeats = sink.records().stream().filter(r -> second.matcher(new String(r, java.nio.charset.StandardCharsets.UTF_8)).find()).count();
        assertTrue(repeats > 10, "second failures in the stream: " + repeats);
        assertTrue(longRun.counts().get("FIELD_FAILURE") > repeats);
        List<?> planted = (List<?>) truth.asMap().get("repairable");
        assertEquals(world.repairable().size(), planted.size());
    }

    @Test
    void worldHasTheStructureSpecSixAsksFor() {
        assertTrue(world.enterprises().stream().map(e -> e.cluster().clusterId()).distinct().count() >= 2);
        assertTrue(world.products().size() >= 3);
        assertEquals(Set.of("EXPERIENCE", "INSPECTION", "ASSURANCE", "PREVENTION"),
                new HashSet<>(world.enterprises().stream().map(e -> e.profile().level().name()).toList()));
        // plants of clearly different quality: line qualities are distinct and spread over most of [0, 1]
        double[] q = world.lines().stream().mapToDouble(World.Line::quality).sorted().toArray();
        assertTrue(q[q.length - 1] - q[0] > 0.6);
        assertEquals(q.length, java.util.Arrays.stream(q).distinct().count());
        Map<String, Object> regulator = (Map<String, Object>) truth.asMap().get("regulator_failure");
        assertNotNull(regulator);
    }

    @Test
    void installsLagProductionAndFailuresFollowInstalls() {
        Units units = new Units(world);
        for (int seq = 0; seq < 500; seq++) {
            Units.Unit u = units.unit(Units.key(3, 5, seq % 60));
            if (u.installed()) {
                assertTrue(u.installMillis() - u.builtMillis() >= 2 * Units.MILLIS_PER_DAY);
                assertTrue(u.failMillis() > u.installMillis());
            }
        }
    }

    @Test
    void truthJsonHasTheSpecKeys() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new com.fasterxml.jackson.databind.ObjectMapper().writeValue(out, truth.asMap());
        Map<?, ?> t = new com.fasterxml.jackson.databind.ObjectMapper().readValue(out.toByteArray(), Map.class);
        for (String k : List.of("weibull", "lines", "characteristics", "drift", "bad_lot", "enterprises", "injected", "counts", "line_months")) {
            assertTrue(t.containsKey(k), k);
        }
        Map<?, ?> line = (Map<?, ?>) ((List<?>) t.get("lines")).get(0);
        assertTrue(line.keySet().containsAll(List.of("line_id", "plant_id", "fpy", "true_quality")));
        Map<?, ?> ch = (Map<?, ?>) ((List<?>) t.get("characteristics")).get(0);
        assertTrue(ch.keySet().containsAll(List.of("characteristic_id", "line_id", "mean", "sigma", "lsl", "usl", "cpk")));
        assertTrue(((Map<?, ?>) t.get("drift")).keySet().containsAll(List.of("line_id", "characteristic_id", "start_day", "shift_sigma")));
        assertTrue(((Map<?, ?>) t.get("bad_lot")).keySet().containsAll(List.of("lot_id", "supplier_id", "component", "hazard_ratio")));
        assertTrue(((Map<?, ?>) t.get("injected")).keySet().containsAll(List.of("duplicates", "malformed", "late", "out_of_order")));
        Map<?, ?> lm = (Map<?, ?>) ((List<?>) t.get("line_months")).get(0);
        assertTrue(lm.keySet().containsAll(List.of("line_id", "period", "fpy", "critical_cpk_share", "dpmo", "afr_ratio",
                "quality_loss_rate", "score")), lm.toString());
    }

    static QualityEvent parse(byte[] r) {
        return ((ValidationResult.Valid) new EventValidator().validate(r, null, INGEST)).event();
    }

    /**
     * --no-bad-lot: no unit carries the bad lot, truth says so, and the world is otherwise the same
     * (a unit's random draws do not depend on the planting: the first unit of the bad line has the
     * same serial, build time and components but its plant's normal life, never the bad lot's).
     */
    @Test
    void aWorldWithoutTheBadLotPlantsNone() {
        World none = new World(CONFIG.withoutBadLot());
        assertEquals(null, none.badLot());
        World.BadLot bad = world.badLot();
        World.Line badLine = world.lines().stream().filter(l -> l.plant() == bad.plant() && l.product() == bad.product())
                .findFirst().orElseThrow();
        Units with = new Units(world);
        Units without = new Units(none);
        for (int seq = 0; seq < 200; seq++) {
            Units.Unit a = with.unit(Units.key(badLine.index(), 0, seq));
            Units.Unit b = without.unit(Units.key(badLine.index(), 0, seq));
            assertTrue(a.badLot());
            assertFalse(b.badLot());
            assertEquals(a.serial(), b.serial());
            assertEquals(a.builtMillis(), b.builtMillis());
            assertEquals(a.installMillis(), b.installMillis());
            assertFalse(b.components().stream().anyMatch(c -> c.lotId().equals(bad.lotId())));
        }
        Truth t = new Simulator(CONFIG.withoutBadLot().withScale(2, 2, 2)).run(new InMemorySink(), d -> {});
        assertEquals(null, t.asMap().get("bad_lot"));
        assertTrue(t.asMap().containsKey("bad_lot"), "the key is there, null");
    }
}
