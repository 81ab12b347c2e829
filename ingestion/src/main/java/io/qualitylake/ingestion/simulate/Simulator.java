package io.qualitylake.ingestion.simulate;

import io.qualitylake.ingestion.sink.EventSink;
import io.qualitylake.ingestion.simulate.Units.DefectSpec;
import io.qualitylake.ingestion.simulate.Units.Unit;
import io.qualitylake.ingestion.simulate.World.Characteristic;
import io.qualitylake.ingestion.simulate.World.Line;
import io.qualitylake.ingestion.simulate.World.Plant;
import io.qualitylake.schemas.Defect;
import io.qualitylake.schemas.EventJson;
import io.qualitylake.schemas.EventType;
import io.qualitylake.schemas.FieldFailure;
import io.qualitylake.schemas.Measurement;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.SpotCheck;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.UnitCompleted;
import io.qualitylake.schemas.UnitInstalled;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Generates the world's events day by day, in emission order, into an {@link EventSink}.
 * Memory holds one day of events, a few days of deliberately delayed records, and 16 bytes per
 * install/failure that is still in the future — never the whole run.
 */
public final class Simulator {
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    /** Events are generated and emitted an hour at a time: the heap holds one hour, not one day. */
    private static final int SLICES_PER_DAY = 24;
    private static final long SLICE_MILLIS = Units.MILLIS_PER_DAY / SLICES_PER_DAY;
    private static final int KIND_INSTALL = 1;
    private static final int KIND_FAILURE = 2;
    /** A repeat failure of a repairable unit; its number k sits above the unit key in the payload. */
    private static final int KIND_REPEAT = 3;
    private static final int REPEAT_SHIFT = 50;
    private static final String SCHEMA_PRODUCTION = EventType.UNIT_COMPLETED.schemaId();
    private static final String SCHEMA_FIELD = EventType.UNIT_INSTALLED.schemaId();

    /** One record to send, ordered by when it is emitted. */
    private record Emission(long emitMillis, long order, Topic topic, String key, byte[] value) {}

    private static final Comparator<Emission> ORDER =
            Comparator.comparingLong(Emission::emitMillis).thenComparingLong(Emission::order);

    private final SimulationConfig config;
    private final World world;
    private final Units units;
    private final Faults faults;
    private final Map<EventType, Long> counts = new EnumMap<>(EventType.class);
    private final LongPairHeap pendingField = new LongPairHeap();
    private final PriorityQueue<Emission> delayed = new PriorityQueue<>(ORDER);
    private final long endMillis;
    private long order;
    private long recordsSent;
    private int maxPendingField;

    public Simulator(SimulationConfig config) {
        this.config = config;
        this.world = new World(config);
        this.units = new Units(world);
        this.faults = new Faults(config);
        this.endMillis = config.end().toEpochDay() * Units.MILLIS_PER_DAY;
        for (EventType t : EventType.values()) {
            counts.put(t, 0L);
        }
    }

    public World world() {
        return world;
    }

    Units units() {
        return units;
    }

    /** Runs the whole simulation; {@code onDay} is told each finished day (for progress). */
    public Truth run(EventSink sink, IntConsumer onDay) {
        for (int day = 0; day < config.days(); day++) {
            long dayStart = (config.start().toEpochDay() + day) * Units.MILLIS_PER_DAY;
            for (int hour = 0; hour < SLICES_PER_DAY; hour++) {
                long from = dayStart + hour * SLICE_MILLIS;
                long to = from + SLICE_MILLIS;
                List<Emission> slice = new ArrayList<>();
                produce(day, from, to, slice);
                measure(day, from, to, slice);
                spotChecks(day, from, to, slice);
                field(to, slice);
                List<Emission> withFaults = new ArrayList<>(slice.size() + 16);
                for (Emission e : slice) {
                    route(e, withFaults);
                }
                while (!delayed.isEmpty() && delayed.peek().emitMillis() < to) {
                    withFaults.add(delayed.poll());
                }
                withFaults.sort(ORDER);
                for (Emission e : withFaults) {
                    sink.send(e.topic(), e.key(), e.value());
                    recordsSent++;
                }
            }
            onDay.accept(day + 1);
        }
        while (!delayed.isEmpty()) {
            Emission e = delayed.poll();
            sink.send(e.topic(), e.key(), e.value());
            recordsSent++;
        }
        return Truth.of(world, config, counts, faults, recordsSent);
    }

    /** Largest number of future installs/failures held at once (the only state that grows with volume). */
    public int maxPendingField() {
        return maxPendingField;
    }

    // ------------------------------------------------------------------ faults

    /** Applies the fault plan to one valid record: maybe delay it, maybe add a duplicate or a malformed twin. */
    private void route(Emission e, List<Emission> out) {
        SplittableRandom r = faults.random(e.order());
        Faults.Fate fate = faults.fate(r);
        Emission placed = switch (fate) {
            case LATE -> new Emission(e.emitMillis() + faults.lateDelayMillis(r), e.order(), e.topic(), e.key(), e.value());
            case OUT_OF_ORDER -> new Emission(e.emitMillis() + faults.outOfOrderDelayMillis(r), e.order(), e.topic(), e.key(), e.value());
            default -> e;
        };
        if (fate == Faults.Fate.LATE || fate == Faults.Fate.OUT_OF_ORDER) {
            delayed.add(placed);
        } else {
            out.add(placed);
        }
        if (faults.duplicate(r)) {
            delayed.add(new Emission(placed.emitMillis() + faults.duplicateDelayMillis(r), nextOrder(), e.topic(), e.key(), e.value()));
        }
        if (faults.malformed(r)) {
            byte[] bad = faults.corrupt(r, e.value());
            out.add(new Emission(e.emitMillis(), nextOrder(), e.topic(), e.key(), bad));
        }
    }

    // ------------------------------------------------------------------ production

    private void produce(int day, long from, long to, List<Emission> out) {
        long dayStart = (config.start().toEpochDay() + day) * Units.MILLIS_PER_DAY;
        long slot = Units.MILLIS_PER_DAY / config.unitsPerDay();
        int firstSeq = (int) ((from - dayStart + slot - 1) / slot);
        int endSeq = (int) Math.min(config.unitsPerDay(), (to - dayStart + slot - 1) / slot);
        for (Line line : world.lines) {
            for (int seq = firstSeq; seq < endSeq; seq++) {
                Unit u = units.unit(Units.key(line.index(), day, seq));
                int d = 0;
                for (DefectSpec spec : u.defects()) {
                    emit(out, spec.timeMillis(), new Defect(SCHEMA_PRODUCTION, "D-" + u.serial() + "-" + (++d),
                            Units.instant(spec.timeMillis()), line.plant().plantId(), u.serial(), line.lineId(),
                            spec.station(), spec.code(), spec.severity(), spec.disposition(), spec.cost()));
                }
                emit(out, u.builtMillis(), new UnitCompleted(SCHEMA_PRODUCTION, "U-" + u.serial(),
                        Units.instant(u.builtMillis()), line.plant().plantId(), u.serial(), line.product().model(),
                        line.lineId(), u.batchId(), u.shift(), u.result(), u.reworkCount(),
                        line.product().unitValue(), u.components()));
                if (u.installed() && u.installMillis() < endMillis) {
                    pendingField.push(u.installMillis(), (u.key() << 2) | KIND_INSTALL);
                    if (u.failed() && u.failMillis() < endMillis) {
                        pendingField.push(u.failMillis(), (u.key() << 2) | KIND_FAILURE);
                    }
                }
            }
        }
        maxPendingField = Math.max(maxPendingField, pendingField.size());
    }

    private void measure(int day, long from, long to, List<Emission> out) {
        int s = config.subgroupsPerDay();
        if (s == 0) {
            return;
        }
        LocalDate date = config.start().plusDays(day);
        long dayStart = date.toEpochDay() * Units.MILLIS_PER_DAY;
        String yymmdd = date.format(YYMMDD);
        World.Drift drift = world.drift;
        for (Line line : world.lines) {
            Plant plant = line.plant();
            double auto = plant.enterprise().profile().autoShare();
            List<Characteristic> chars = line.characteristics();
            for (int c = 0; c < chars.size(); c++) {
                Characteristic ch = chars.get(c);
                double mean = ch.mean();
                if (drift.characteristic() == ch && day >= drift.startDay()) {
                    mean += drift.shiftSigma() * ch.sigma();
                }
                for (int k = 0; k < s; k++) {
                    long t0 = dayStart + (long) ((k + 0.5) * Units.MILLIS_PER_DAY / s);
                    if (t0 < from || t0 >= to) {
                        continue;
                    }
                    SplittableRandom r = Rng.of(config.seed(), 3, ((long) line.index() << 40) | ((long) c << 32) | ((long) day << 12) | k);
                    String subgroup = ch.characteristicId() + "-" + date.format(YYYYMMDD) + "-" + (k + 1);
                    String collection = Rng.chance(r, auto) ? "AUTO" : "MANUAL";
                    String serialPrefix = line.lineId() + "-" + yymmdd + "-";
                    int firstSeq = (int) ((k + 0.5) * config.unitsPerDay() / s);
                    for (int i = 0; i < SimulationConfig.SUBGROUP_SIZE; i++) {
                        double value = ch.lognormal()
                                ? Rng.round(Math.exp(ch.logMean() + ch.logSigma() * r.nextGaussian()), 6)
                                : Rng.round(mean + ch.sigma() * r.nextGaussian(), 4);
                        long t = t0 + i * 30_000L;
                        int seq = Math.min(config.unitsPerDay() - 1, firstSeq + i);
                        String serial = serialPrefix + String.format("%05d", seq);
                        emit(out, t, new Measurement(SCHEMA_PRODUCTION, "M-" + subgroup + "-" + (i + 1), Units.instant(t),
                                plant.plantId(), line.lineId(), ch.stationId(), ch.characteristicId(), subgroup, value,
                                ch.lsl(), ch.usl(), ch.target(), collection, serial));
                    }
                }
            }
        }
    }

    private void spotChecks(int day, long from, long to, List<Emission> out) {
        LocalDate date = config.start().plusDays(day);
        long dayStart = date.toEpochDay() * Units.MILLIS_PER_DAY;
        if (from != dayStart + 10 * 3_600_000L && from != dayStart + 14 * 3_600_000L) {
            return; // internal checks at 10:00, regulator visits at 14:00
        }
        boolean internal = from == dayStart + 10 * 3_600_000L;
        for (Plant plant : world.plants) {
            SplittableRandom r = Rng.of(config.seed(), 4, ((long) plant.index() << 20) | day);
            double pass = plant.enterprise().profile().spotPassProbability();
            Line line = world.lines.get(plant.index() * SimulationConfig.LINES_PER_PLANT + (day % SimulationConfig.LINES_PER_PLANT));
            String batch = "B-" + line.lineId() + "-" + date.format(YYYYMMDD);
            boolean ok = Rng.chance(r, pass);
            if (internal) {
                emit(out, dayStart + 10 * 3_600_000L, spotCheck(plant, line, batch, "INTERNAL", 50, 2, ok, r, date, 1));
            } else if (day % 30 == 14) {
                // Regulators visit monthly; exactly one visit fails: the first one at the planted plant.
                boolean planted = plant == world.regulatorFailurePlant && day == 14;
                emit(out, dayStart + 14 * 3_600_000L, spotCheck(plant, line, batch, "REGULATOR", 80, 3, !planted, r, date, 2));
            }
        }
    }

    private SpotCheck spotCheck(Plant plant, Line line, String batch, String checker, int n, int accept, boolean ok,
                                SplittableRandom r, LocalDate date, int no) {
        int bad = ok ? Math.min(accept, Rng.binomial(r, n, 0.01)) : accept + 1 + r.nextInt(4);
        long t = date.toEpochDay() * Units.MILLIS_PER_DAY + (no == 1 ? 10 : 14) * 3_600_000L;
        return new SpotCheck(SCHEMA_PRODUCTION, "S-" + plant.plantId() + "-" + date.format(YYYYMMDD) + "-" + no,
                Units.instant(t), plant.plantId(), line.product().model(), batch, checker, n, bad, ok);
    }

    // ------------------------------------------------------------------ field

    private void field(long dayEnd, List<Emission> out) {
        while (!pendingField.isEmpty() && pendingField.peekTime() < dayEnd) {
            long payload = pendingField.peekPayload();
            pendingField.pop();
            Unit u = units.unit((payload & ((1L << REPEAT_SHIFT) - 1)) >>> 2);
            Line line = u.line();
            String plant = line.plant().plantId();
            String model = line.product().model();
            if ((payload & 3) == KIND_INSTALL) {
                emit(out, u.installMillis(), new UnitInstalled(SCHEMA_FIELD, "I-" + u.serial(), Units.instant(u.installMillis()),
                        plant, u.serial(), model, u.region()));
            } else if ((payload & 3) == KIND_FAILURE) {
                emit(out, u.failMillis(), new FieldFailure(SCHEMA_FIELD, "F-" + u.serial() + "-1", Units.instant(u.failMillis()),
                        plant, u.serial(), model, u.failureMode(), u.claimCost(), u.warranty(), u.operatingHours()));
                scheduleRepeat(u, 2);
            } else {
                Units.Recurrence rec = units.recurrence(u, (int) (payload >>> REPEAT_SHIFT));
                emit(out, rec.failMillis(), new FieldFailure(SCHEMA_FIELD, "F-" + u.serial() + "-" + rec.k(),
                        Units.instant(rec.failMillis()), plant, u.serial(), model, rec.failureMode(), rec.claimCost(),
                        rec.warranty(), rec.operatingHours()));
                scheduleRepeat(u, rec.k() + 1);
            }
        }
    }

    /** Queues a repairable unit's k-th failure when it falls before the end of the run. */
    private void scheduleRepeat(Unit u, int k) {
        Units.Recurrence next = units.recurrence(u, k);
        if (next != null && next.failMillis() < endMillis && k < (1 << (64 - REPEAT_SHIFT - 1))) {
            pendingField.push(next.failMillis(), ((long) k << REPEAT_SHIFT) | (u.key() << 2) | KIND_REPEAT);
        }
    }

    private void emit(List<Emission> out, long millis, QualityEvent e) {
        counts.merge(e.eventType(), 1L, Long::sum);
        out.add(new Emission(millis, nextOrder(), e.topic(), e.kafkaKey(), EventJson.toJson(e).getBytes(StandardCharsets.UTF_8)));
    }

    private long nextOrder() {
        return order++;
    }
}
