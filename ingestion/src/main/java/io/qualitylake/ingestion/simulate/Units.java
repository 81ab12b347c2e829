package io.qualitylake.ingestion.simulate;

import io.qualitylake.ingestion.simulate.World.Line;
import io.qualitylake.ingestion.simulate.World.Product;
import io.qualitylake.schemas.Component;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A unit's whole life — build, defects, components, install, first failure — as a pure function of
 * (seed, unit key). The generator can therefore forget a unit after building it and regenerate it
 * when its install or failure falls due, which keeps memory independent of the run's length.
 */
final class Units {
    static final long MILLIS_PER_DAY = 86_400_000L;
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter YYYYMMDD = DateTimeFormatter.BASIC_ISO_DATE;
    static final double INSTALL_SHARE = 0.92;
    static final double SCRAP_SHARE_OF_FAILED = 0.25;
    /** A failed unit's defects are coded with the profile's coded-defect share; this share of coded ones carries two. */
    static final double SECOND_DEFECT_SHARE = 0.15;
    /** First-pass units with a cosmetic USE_AS_IS defect (cost 0). */
    static final double USE_AS_IS_SHARE = 0.01;
    /** A scrap defect costs this share of the unit value; a rework defect REWORK_COST_MIN + U(0, 1) × REWORK_COST_SPAN. */
    static final double SCRAP_COST_SHARE = 0.6;
    static final double REWORK_COST_MIN = 20;
    static final double REWORK_COST_SPAN = 40;
    /** Every field failure carries a claim of CLAIM_MIN + U(0, 1) × CLAIM_SPAN. */
    static final double CLAIM_MIN = 150;
    static final double CLAIM_SPAN = 450;
    /** Install lag (days) = INSTALL_LAG_MIN + Gamma(shape 2, scale INSTALL_LAG_SCALE): the sum of two exponentials. */
    static final double INSTALL_LAG_MIN = 2;
    static final double INSTALL_LAG_SCALE = 4;

    record DefectSpec(String code, String station, String severity, String disposition, double cost, long timeMillis) {}

    record Unit(long key, String serial, Line line, int day, long builtMillis, String batchId, String shift,
                String result, int reworkCount, List<Component> components, List<DefectSpec> defects,
                long installMillis, String region, long failMillis, String failureMode, double claimCost,
                boolean warranty, Double operatingHours, boolean badLot) {
        boolean installed() { return installMillis >= 0; }

        boolean failed() { return failMillis >= 0; }
    }

    private final World world;
    private final long seed;
    private final long startMillis;
    private final int unitsPerDay;

    Units(World world) {
        this.world = world;
        this.seed = world.config.seed();
        this.startMillis = world.config.start().toEpochDay() * MILLIS_PER_DAY;
        this.unitsPerDay = world.config.unitsPerDay();
    }

    static long key(int line, int day, int seq) {
        return ((long) line << 36) | ((long) day << 20) | seq;
    }

    Unit unit(long key) {
        int lineIdx = (int) (key >>> 36);
        int day = (int) ((key >>> 20) & 0xFFFF);
        int seq = (int) (key & 0xFFFFF);
        Line line = world.lines.get(lineIdx);
        World.Plant plant = line.plant();
        World.Profile profile = plant.enterprise().profile();
        Product product = line.product();
        SplittableRandom r = Rng.of(seed, 2, key);
        LocalDate date = world.config.start().plusDays(day);

        long slot = MILLIS_PER_DAY / unitsPerDay;
        long built = startMillis + day * MILLIS_PER_DAY + seq * slot + (long) (r.nextDouble() * slot);
        int hour = (int) ((built % MILLIS_PER_DAY) / 3_600_000L);
        String shift = hour >= 6 && hour < 14 ? "A" : hour >= 14 && hour < 22 ? "B" : "C";
        String serial = String.format("%s-%s-%05d", line.lineId(), date.format(YYMMDD), seq);
        String batch = "B-" + line.lineId() + "-" + date.format(YYYYMMDD);

        boolean firstPass = Rng.chance(r, line.fpy());
        boolean scrap = !firstPass && Rng.chance(r, SCRAP_SHARE_OF_FAILED);
        int rework = firstPass ? 0 : scrap ? (Rng.chance(r, 0.3) ? 1 : 0) : 1 + (Rng.chance(r, 0.2) ? 1 : 0);
        String result = scrap ? "SCRAP" : "PASS";
        if (!firstPass && !scrap && rework == 0) {
            rework = 1;
        }

        List<DefectSpec> defects = new ArrayList<>(2);
        if (!firstPass) {
            if (Rng.chance(r, profile.codedDefectShare())) {
                int n = Rng.chance(r, SECOND_DEFECT_SHARE) ? 2 : 1;
                for (int i = 0; i < n; i++) {
                    defects.add(defect(r, line, scrap ? "SCRAP" : "REWORK", built, product));
                }
            }
        } else if (Rng.chance(r, USE_AS_IS_SHARE)) {
            defects.add(defect(r, line, "USE_AS_IS", built, product));
        }

        boolean bad = world.isBadLotGroup(plant, product);
        List<Component> comps = new ArrayList<>(3);
        if (Rng.chance(r, profile.traceabilityShare())) {
            int week = date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            int wyear = date.get(IsoFields.WEEK_BASED_YEAR);
            for (int c = 0; c < World.COMPONENTS.length; c++) {
                if (c == 0 && bad) {
                    comps.add(new Component(World.COMPONENTS[0], world.badLot.supplierId(), world.badLot.lotId()));
                } else {
                    String sup = plant.suppliers()[c];
                    comps.add(new Component(World.COMPONENTS[c], sup,
                            String.format("%s-%s-%dW%02d", sup, World.COMPONENT_CODES[c], wyear, week)));
                }
            }
        }

        long install = -1;
        long fail = -1;
        String region = null;
        String mode = null;
        double claim = 0;
        boolean warranty = false;
        Double hours = null;
        if (!scrap && Rng.chance(r, INSTALL_SHARE)) {
            double lagDays = INSTALL_LAG_MIN + INSTALL_LAG_SCALE * (-Math.log(1 - r.nextDouble()) - Math.log(1 - r.nextDouble()));
            install = built + (long) (lagDays * MILLIS_PER_DAY);
            World.Cluster home = plant.enterprise().cluster();
            region = Rng.chance(r, 0.7) ? home.region() : World.REGIONS[r.nextInt(World.REGIONS.length)];
            double life = bad ? Rng.weibull(r, world.badLot.beta(), world.badLot.eta())
                    : Rng.weibull(r, world.lifeBeta(product, plant), world.lifeEta(product, plant));
            fail = install + (long) (life * MILLIS_PER_DAY);
            mode = product.failureModes()[r.nextInt(product.failureModes().length)];
            claim = Rng.round(CLAIM_MIN + CLAIM_SPAN * r.nextDouble(), 2);
            warranty = life < product.warrantyMonths() * 30.4375;
            hours = Rng.chance(r, 0.8) ? Rng.round(life * product.dutyHours() * (0.9 + 0.2 * r.nextDouble()), 1) : null;
        }
        return new Unit(key, serial, line, day, built, batch, shift, result, rework, comps, defects, install,
                region, fail, mode, claim, warranty, hours, bad);
    }

    /** A repeat failure (the k-th, k ≥ 2) of a repairable unit. */
    record Recurrence(int k, long failMillis, String failureMode, double claimCost, boolean warranty, Double operatingHours) {}

    /**
     * The k-th failure (k ≥ 2) of a unit of a repairable model, or null when the unit is not repairable
     * or never failed. Minimal repair: given the previous failure at age a, the next is at age a' with
     * Λ(a') − Λ(a) ~ Exp(1), i.e. a' = η((a/η)^β + E)^(1/β). A pure function of (seed, unit, k).
     */
    Recurrence recurrence(Unit u, int k) {
        World.Repairable rep = world.repairable(u.line().product(), u.line().plant());
        if (rep == null || !u.failed() || k < 2 || u.badLot()) {
            return null;
        }
        double beta = rep.beta();
        double eta = rep.eta();
        SplittableRandom r = Rng.of(seed, 6, u.key());
        double age = (u.failMillis() - u.installMillis()) / (double) MILLIS_PER_DAY;
        for (int j = 2; j <= k; j++) {
            double e = -Math.log(1 - r.nextDouble());
            age = eta * Math.pow(Math.pow(age / eta, beta) + e, 1 / beta);
        }
        SplittableRandom m = Rng.of(seed, 7, (u.key() << 8) | Math.min(k, 255));
        Product product = u.line().product();
        String mode = product.failureModes()[m.nextInt(product.failureModes().length)];
        double claim = Rng.round(CLAIM_MIN + CLAIM_SPAN * m.nextDouble(), 2);
        boolean warranty = age < product.warrantyMonths() * 30.4375;
        Double hours = Rng.chance(m, 0.8) ? Rng.round(age * product.dutyHours() * (0.9 + 0.2 * m.nextDouble()), 1) : null;
        return new Recurrence(k, u.installMillis() + (long) (age * MILLIS_PER_DAY), mode, claim, warranty, hours);
    }

    /** The planted life (days) of a unit, for goodness-of-fit tests; NaN when never installed. */
    double lifeDays(Unit u) {
        return u.installed() ? (u.failMillis() - u.installMillis()) / (double) MILLIS_PER_DAY : Double.NaN;
    }

    private static DefectSpec defect(SplittableRandom r, Line line, String disposition, long built, Product product) {
        double[] mix = line.defectMix();
        double u = r.nextDouble();
        int code = 0;
        for (double acc = mix[0]; code < mix.length - 1 && u > acc; acc += mix[++code]) {
            // walk the cumulative mix
        }
        String severity = "USE_AS_IS".equals(disposition) ? "MINOR" : Rng.chance(r, 0.1) ? "CRITICAL" : Rng.chance(r, 0.5) ? "MAJOR" : "MINOR";
        double cost = "SCRAP".equals(disposition) ? Rng.round(product.unitValue() * SCRAP_COST_SHARE, 2)
                : "REWORK".equals(disposition) ? Rng.round(REWORK_COST_MIN + REWORK_COST_SPAN * r.nextDouble(), 2) : 0.0;
        // found at a station shortly before completion, but never before the unit's hour slot began
        long sliceStart = built - built % 3_600_000L;
        long t = Math.max(sliceStart, built - 60_000L * (5 + r.nextInt(55)));
        return new DefectSpec(World.DEFECT_CODES[code], World.DEFECT_STATIONS[code], severity, disposition, cost, t);
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
