package io.qualitylake.ingestion.simulate;

import io.qualitylake.cli.UserError;
import java.time.LocalDate;

/**
 * What to simulate. Rates are per valid event.
 *
 * @param plants           plants in the world (2 lines each; enterprises own 2 plants each)
 * @param days             simulated days from {@code start}
 * @param unitsPerDay      units completed per line and day (the main scale knob)
 * @param subgroupsPerDay  measurement subgroups (of 5) per characteristic and day
 * @param plantBadLot      plant the early-life bad supplier lot (true by default); false gives a world
 *                         where no lot is worse than its model at its plant (a null for the supplier tests)
 */
public record SimulationConfig(long seed, int plants, int days, LocalDate start, int unitsPerDay,
                               int subgroupsPerDay, double duplicateRate, double malformedRate,
                               double outOfOrderRate, double lateRate, boolean plantBadLot) {
    public static final int SUBGROUP_SIZE = 5;
    public static final int LINES_PER_PLANT = 2;

    public static SimulationConfig defaults() {
        return new SimulationConfig(42, 8, 60, LocalDate.of(2026, 1, 1), 30, 8, 0.005, 0.002, 0.01, 0.001);
    }

    /** A world with the planted bad lot. */
    public SimulationConfig(long seed, int plants, int days, LocalDate start, int unitsPerDay, int subgroupsPerDay,
                            double duplicateRate, double malformedRate, double outOfOrderRate, double lateRate) {
        this(seed, plants, days, start, unitsPerDay, subgroupsPerDay, duplicateRate, malformedRate, outOfOrderRate,
                lateRate, true);
    }

    public SimulationConfig {
        if (plants < 2 || plants > 500) {
            throw new UserError("--plants must be between 2 and 500, got " + plants);
        }
        if (days < 1 || days > 3660) {
            throw new UserError("--days must be between 1 and 3660, got " + days);
        }
        if (unitsPerDay < 1 || unitsPerDay > 1_000_000) {
            throw new UserError("--units-per-day must be between 1 and 1000000, got " + unitsPerDay);
        }
        if (subgroupsPerDay < 0 || subgroupsPerDay > 1440) {
            throw new UserError("--subgroups-per-day must be between 0 and 1440, got " + subgroupsPerDay);
        }
        rate("--duplicate-rate", duplicateRate);
        rate("--malformed-rate", malformedRate);
        rate("--out-of-order-rate", outOfOrderRate);
        rate("--late-rate", lateRate);
        if (start.getYear() < 1971 || start.getYear() > 2200) {
            throw new UserError("--start must be a date between 1971 and 2200, got " + start);
        }
    }

    private static void rate(String name, double r) {
        if (!(r >= 0 && r <= 0.5)) {
            throw new UserError(name + " must be between 0 and 0.5, got " + r);
        }
    }

    public SimulationConfig withSeed(long s) {
        return new SimulationConfig(s, plants, days, start, unitsPerDay, subgroupsPerDay, duplicateRate,
                malformedRate, outOfOrderRate, lateRate, plantBadLot);
    }

    public SimulationConfig withFaults(double dup, double malformed, double ooo, double late) {
        return new SimulationConfig(seed, plants, days, start, unitsPerDay, subgroupsPerDay, dup, malformed, ooo, late, plantBadLot);
    }

    public SimulationConfig withScale(int plants, int days, int unitsPerDay) {
        return new SimulationConfig(seed, plants, days, start, unitsPerDay, subgroupsPerDay, duplicateRate,
                malformedRate, outOfOrderRate, lateRate, plantBadLot);
    }

    /** The same world without the planted bad lot. */
    public SimulationConfig withoutBadLot() {
        return new SimulationConfig(seed, plants, days, start, unitsPerDay, subgroupsPerDay, duplicateRate,
                malformedRate, outOfOrderRate, lateRate, false);
    }

    public LocalDate end() {
        return start.plusDays(days);
    }
}
