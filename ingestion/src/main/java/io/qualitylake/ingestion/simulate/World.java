package io.qualitylake.ingestion.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulated industrial world and everything planted in it. Built deterministically from a
 * {@link SimulationConfig}; the event generator only reads it.
 *
 * <p>Enterprises follow four capability profiles (SPEC §5) whose drivers are planted with margin
 * around the level thresholds: EXPERIENCE (defects often uncoded), INSPECTION (weak
 * traceability), ASSURANCE (manual data collection), PREVENTION (capable, automated, reliable; one critical characteristic per plant below Cpk 1.33 keeps it short of EXCELLENCE).
 */
public final class World {
    public enum Level { EXPERIENCE, INSPECTION, ASSURANCE, PREVENTION }

    /** Level drivers per profile, chosen well away from the SPEC §5 thresholds. */
    record Profile(Level level, double codedDefectShare, double traceabilityShare, double autoShare,
                   double spotPassProbability, double qualityLow, double qualityHigh) {}

    static final Profile[] PROFILES = {
        new Profile(Level.PREVENTION, 0.99, 0.99, 0.93, 0.995, 0.80, 0.95),
        new Profile(Level.ASSURANCE, 0.98, 0.98, 0.55, 0.995, 0.55, 0.70),
        new Profile(Level.INSPECTION, 0.98, 0.70, 0.50, 0.93, 0.35, 0.50),
        new Profile(Level.EXPERIENCE, 0.60, 0.50, 0.30, 0.85, 0.08, 0.25),
    };

    public record Cluster(String clusterId, String region) {}

    public record Enterprise(String enterpriseId, String name, Cluster cluster, Profile profile) {}

    public record Plant(String plantId, Enterprise enterprise, int index, double quality, String[] suppliers) {}

    public record Product(String model, String family, int warrantyMonths, int opportunities, double dutyHours,
                          double unitValue, double beta, double eta, String[] failureModes) {}

    /**
     * A measured characteristic. NORMAL ones have the true mean and σ; a LOGNORMAL one has values
     * exp(N(logMean, logSigma²)) (mean and sigma are then that distribution's moments) and may be
     * one-sided (lsl null).
     */
    public record Characteristic(String characteristicId, String stationId, boolean critical, double target,
                                 Double lsl, double usl, double mean, double sigma, String distribution,
                                 double logMean, double logSigma) {
        static Characteristic normal(String id, String station, boolean critical, double target, double lsl, double usl,
                                     double mean, double sigma) {
            return new Characteristic(id, station, critical, target, lsl, usl, mean, sigma, "NORMAL", Double.NaN, Double.NaN);
        }

        /** Normal-theory Cpk from the true mean and σ (the defined side when one-sided). */
        public double cpk() {
            double upper = (usl - mean) / (3 * sigma);
            return lsl == null ? upper : Math.min(upper, (mean - lsl) / (3 * sigma));
        }

        /**
         * The true percentile Cpk (ISO 22514-2): min((USL − X.5)/(X.99865 − X.5), (X.5 − LSL)/(X.5 − X.00135)),
         * which for a normal characteristic equals {@link #cpk()}.
         */
        public double cpkPct() {
            if (!"LOGNORMAL".equals(distribution)) {
                return cpk();
            }
            double z = 3.0; // Φ⁻¹(0.99865) to the 3 significant digits the ISO definition uses
            double med = Math.exp(logMean);
            double upper = (usl - med) / (Math.exp(logMean + z * logSigma) - med);
            return lsl == null ? upper : Math.min(upper, (med - lsl) / (med - Math.exp(logMean - z * logSigma)));
        }

        boolean lognormal() {
            return "LOGNORMAL".equals(distribution);
        }
    }

    /**
     * The planted skewed characteristic: runout (mm) on the first plant's first line (a PREVENTION plant), lognormal with
     * median 0.010 and log-σ 0.35 (skewness ≈ 1.1), one-sided USL 0.035: percentile Cpk 1.35 while
     * its normal-theory Cpk (2.1, from the mean and σ) overstates it; both above 1.33, so the plant's
     * capability level is not moved by it.
     */
    static final double RUNOUT_MEDIAN = 0.010;
    static final double RUNOUT_LOG_SIGMA = 0.35;
    static final double RUNOUT_USL = 0.035;

    public record Line(String lineId, Plant plant, int index, Product product, double quality, double fpy,
                      double[] defectMix, List<Characteristic> characteristics) {}

    public record Drift(Line line, Characteristic characteristic, int startDay, double shiftSigma) {}

    /**
     * A repairable model's power-law recurrence process at one plant: every failure is minimally
     * repaired, so a unit's failures form an NHPP with cumulative intensity Λ(t) = λt^β (t in days);
     * the first failure is then Weibull(β, η = λ^(−1/β)).
     */
    public record Repairable(Product product, Plant plant, double beta, double lambda) {
        public double eta() {
            return Math.pow(lambda, -1 / beta);
        }
    }

    public record BadLot(String lotId, String supplierId, String component, Plant plant, Product product,
                         double beta, double eta, double hazardRatio) {}

    static final String[] DEFECT_CODES = {"SCRATCH", "DENT", "LEAK", "MISALIGN", "SOLDER_VOID", "TORQUE_LOW", "CONTAMINATION"};
    static final String[] DEFECT_STATIONS = {"ST30", "ST30", "ST20", "ST10", "ST20", "ST10", "ST20"};
    static final String[] COMPONENTS = {"bearing", "controller", "seal"};
    static final String[] COMPONENT_CODES = {"BRG", "CTL", "SEAL"};
    static final String[] REGIONS = {"East-China", "South-China", "North-China", "West-China"};

    final SimulationConfig config;
    final List<Cluster> clusters = new ArrayList<>();
    final List<Enterprise> enterprises = new ArrayList<>();
    final List<Plant> plants = new ArrayList<>();
    final List<Product> products = new ArrayList<>();
    final List<Line> lines = new ArrayList<>();
    final List<String> suppliers = new ArrayList<>();
    final Drift drift;
    /** Null when the configuration plants none. */
    final BadLot badLot;
    /** The plant whose first regulator spot check fails (the SPEC §5 entry gate). */
    final Plant regulatorFailurePlant;
    /** The repairable model (M200) at each plant that builds it; exactly one plant is worsening. */
    final List<Repairable> repairable = new ArrayList<>();
    /** Planted recurrence shapes: the worsening plant, and every other plant (a constant rate). */
    static final double WORSENING_BETA = 1.8;
    static final double STABLE_BETA = 1.0;
    /**
     * The repairable processes keep each plant's expected failures per unit by age 30 days what the
     * model's own Weibull gives there (Λ(30) = (30/η)^β_model): the first months' AFR, which the
     * capability levels compare, moves little; afterwards the stable plants (β = 1) fail less often and
     * the worsening one more often than the model's Weibull would.
     */
    static final double MATCH_DAYS = 30;

    public World(SimulationConfig config) {
        this.config = config;
        SplittableRandom r = Rng.of(config.seed(), 1, 0);
        clusters.add(new Cluster("CL-EAST", REGIONS[0]));
        clusters.add(new Cluster("CL-SOUTH", REGIONS[1]));

        products.add(new Product("M100", "COMPRESSOR", 24, 12, 16, 850, 1.8, 900, new String[] {"NO_START", "NOISE", "OVERHEAT"}));
        products.add(new Product("M200", "COMPRESSOR", 24, 15, 16, 1200, 1.4, 1100, new String[] {"NO_START", "LEAK", "NOISE"}));
        products.add(new Product("M300", "MOTOR", 36, 8, 24, 430, 2.2, 800, new String[] {"WINDING", "BEARING_WEAR", "NOISE"}));
        for (int s = 1; s <= 6; s++) {
            suppliers.add(String.format("S%02d", s));
        }

        int nEnterprises = Math.max(2, config.plants() / 2);
        for (int e = 0; e < nEnterprises; e++) {
            Profile profile = PROFILES[profileIndex(e, nEnterprises)];
            Cluster cluster = clusters.get(e % clusters.size());
            enterprises.add(new Enterprise(String.format("E%02d", e + 1), "Enterprise " + (e + 1), cluster, profile));
        }
        for (int p = 0; p < config.plants(); p++) {
            Enterprise ent = enterprises.get(Math.min(p / 2, nEnterprises - 1));
            Profile pr = ent.profile();
            int sibling = p % 2;
            double q = pr.qualityLow() + (pr.qualityHigh() - pr.qualityLow()) * (sibling == 0 ? 0.75 : 0.25)
                    + (r.nextDouble() - 0.5) * 0.02;
            String[] sup = new String[COMPONENTS.length];
            for (int c = 0; c < COMPONENTS.length; c++) {
                sup[c] = suppliers.get((p + 2 * c) % suppliers.size());
            }
            plants.add(new Plant(String.format("P%02d", p + 1), ent, p, q, sup));
        }
        for (Plant plant : plants) {
            for (int l = 0; l < SimulationConfig.LINES_PER_PLANT; l++) {
                Product product = products.get((plant.index() + l) % products.size());
                double q = clamp(plant.quality() + (l == 0 ? 0.03 : -0.03), 0.01, 0.99);
                double fpy = 0.86 + 0.13 * q;
                double[] mix = defectMix(r);
                List<Characteristic> chars = characteristics(plant, l, q, r);
                lines.add(new Line(plant.plantId() + "-L" + (l + 1), plant, lines.size(), product, q, fpy, mix, chars));
            }
        }
        // Drift on the first critical characteristic of the worst plant's first line.
        Plant worst = plants.stream().min(java.util.Comparator.comparingDouble(Plant::quality)).orElseThrow();
        Line driftLine = lines.stream().filter(l -> l.plant() == worst).findFirst().orElseThrow();
        drift = new Drift(driftLine, driftLine.characteristics().get(0), Math.max(1, config.days() / 2), 1.5);

        // Bad lot: bearings for the first line's model at a mid-quality plant; early-life failures.
        Plant badPlant = plants.get(plants.size() > 2 ? 2 : 1);
        Line badLine = lines.stream().filter(l -> l.plant() == badPlant).findFirst().orElseThrow();
        String supplier = badPlant.suppliers()[0];
        double badBeta = 0.6;
        double badEta = 2500;
        Product model = badLine.product();
        double horizon = 45; // days: typical exposure within a quarter's window
        double hr = cumulativeHazard(horizon, badBeta, badEta) / cumulativeHazard(horizon, model.beta(), plantEta(model, badPlant));
        badLot = config.plantBadLot()
                ? new BadLot(supplier + "-BRG-BAD01", supplier, COMPONENTS[0], badPlant, model, badBeta, badEta, hr) : null;

        Plant gate = enterprises.stream().filter(e -> e.profile().level() == Level.INSPECTION).findFirst()
                .flatMap(e -> plants.stream().filter(p -> p.enterprise() == e).findFirst())
                .orElse(plants.get(plants.size() - 1));
        regulatorFailurePlant = gate;

        Product rep = products.get(1);
        Plant worsening = plants.stream().filter(p -> builds(p, rep)).filter(p -> !isBadLotGroup(p, rep))
                .min(java.util.Comparator.comparingDouble(Plant::quality)).orElse(null);
        for (Plant p : plants) {
            if (builds(p, rep) && !isBadLotGroup(p, rep)) {
                double beta = p == worsening ? WORSENING_BETA : STABLE_BETA;
                double lambdaAtMatch = cumulativeHazard(MATCH_DAYS, rep.beta(), plantEta(rep, p));
                repairable.add(new Repairable(rep, p, beta, lambdaAtMatch / Math.pow(MATCH_DAYS, beta)));
            }
        }
    }

    private boolean builds(Plant p, Product m) {
        for (int l = 0; l < SimulationConfig.LINES_PER_PLANT; l++) {
            if (products.get((p.index() + l) % products.size()) == m) {
                return true;
            }
        }
        return false;
    }

    /** The repairable process of a model at a plant, or null where failures are first failures only. */
    public Repairable repairable(Product product, Plant plant) {
        for (Repairable r : repairable) {
            if (r.product() == product && r.plant() == plant) {
                return r;
            }
        }
        return null;
    }

    /** The planted first-failure Weibull shape at a plant (the recurrence shape for a repairable model). */
    public double lifeBeta(Product product, Plant plant) {
        Repairable r = repairable(product, plant);
        return r != null ? r.beta() : product.beta();
    }

    /** The planted first-failure Weibull scale (days) at a plant. */
    public double lifeEta(Product product, Plant plant) {
        Repairable r = repairable(product, plant);
        return r != null ? r.eta() : plantEta(product, plant);
    }

    /** With 4+ enterprises all four profiles appear (best first); with fewer, best and worst. */
    private static int profileIndex(int e, int n) {
        if (n >= PROFILES.length) {
            return e % PROFILES.length;
        }
        return e == 0 ? 0 : PROFILES.length - 1;
    }

    /** True Weibull scale of a model at a plant: better plants build longer-lived units. */
    static double plantEta(Product product, Plant plant) {
        return product.eta() * (0.6 + 0.8 * plant.quality());
    }

    static double cumulativeHazard(double t, double beta, double eta) {
        return Math.pow(t / eta, beta);
    }

    private static double[] defectMix(SplittableRandom r) {
        double[] w = new double[DEFECT_CODES.length];
        double sum = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.pow(r.nextDouble(), 2.5) + 0.01; // skewed: a few codes dominate (Pareto)
            sum += w[i];
        }
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static List<Characteristic> characteristics(Plant plant, int line, double q, SplittableRandom r) {
        String[] names = {"TORQUE", "GAP", "PRESSURE", "WEIGHT"};
        String[] stations = {"ST10", "ST20", "ST20", "ST30"};
        double[] targets = {12.5, 0.80, 6.00, 2.50};
        double[] halfWidths = {1.0, 0.05, 0.40, 0.10};
        List<Characteristic> out = new ArrayList<>();
        for (int c = 0; c < names.length; c++) {
            boolean critical = c < 3;
            double cpk = 0.85 + 1.25 * q + (r.nextDouble() - 0.5) * 0.16;
            if (plant.enterprise().profile().level() == Level.PREVENTION && line == 1 && c == 2) {
                // PREVENTION, not EXCELLENCE: one critical characteristic per plant below Cpk 1.33,
                // so 5 of 6 (83 %) are capable: above the 80 % of PREVENTION, below the 95 % of EXCELLENCE
                cpk = 1.15;
            }
            double offset = (r.nextDouble() - 0.5) * 0.2; // fraction of the half-width off target
            double w = halfWidths[c];
            double mean = targets[c] + offset * w;
            double sigma = w * (1 - Math.abs(offset)) / (3 * cpk);
            String id = plant.plantId() + "-L" + (line + 1) + "-" + names[c];
            out.add(Characteristic.normal(id, stations[c], critical, targets[c], targets[c] - w, targets[c] + w, mean, sigma));
        }
        if (plant.index() == 0 && line == 0) {
            double lm = Math.log(RUNOUT_MEDIAN);
            double s2 = RUNOUT_LOG_SIGMA * RUNOUT_LOG_SIGMA;
            double mean = Math.exp(lm + s2 / 2);
            double sd = mean * Math.sqrt(Math.expm1(s2));
            out.add(new Characteristic(plant.plantId() + "-L1-RUNOUT", "ST30", true, 0.0, null, RUNOUT_USL, mean, sd,
                    "LOGNORMAL", lm, RUNOUT_LOG_SIGMA));
        }
        return out;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    public List<Line> lines() { return lines; }

    public List<Plant> plants() { return plants; }

    public List<Enterprise> enterprises() { return enterprises; }

    public List<Product> products() { return products; }

    public Drift drift() { return drift; }

    /** The planted bad lot, or null when none is planted. */
    public BadLot badLot() { return badLot; }

    /** Whether units of this model built at this plant carry the planted bad lot. */
    boolean isBadLotGroup(Plant plant, Product product) {
        return badLot != null && badLot.plant() == plant && badLot.product() == product;
    }

    public List<Repairable> repairable() { return repairable; }
}
