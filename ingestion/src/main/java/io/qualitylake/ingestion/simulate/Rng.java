package io.qualitylake.ingestion.simulate;

import java.util.SplittableRandom;

/**
 * Deterministic random streams: every stream is keyed by (seed, purpose, key), so the same seed
 * gives the same world and the same events regardless of generation order.
 */
final class Rng {
    private Rng() {}

    static SplittableRandom of(long seed, long purpose, long key) {
        return new SplittableRandom(mix(mix(seed ^ 0x9E3779B97F4A7C15L * (purpose + 1)) + key));
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Weibull(β, η) by inversion: η(−ln U)^(1/β). */
    static double weibull(SplittableRandom r, double beta, double eta) {
        double u = 1.0 - r.nextDouble(); // (0, 1]
        return eta * Math.pow(-Math.log(u), 1.0 / beta);
    }

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    static int binomial(SplittableRandom r, int n, double p) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
