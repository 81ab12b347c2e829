package io.qualitylake.batch.reliability;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Crow-AMSAA (power-law NHPP) fit for many systems observed from age 0 to their own end age T_q
 * (time-terminated), with intensity u(t) = λβt^(β−1) per system (SPEC §4 "Repairable systems").
 *
 * <ul>
 *   <li>Maximum likelihood (Crow 1974; MIL-HDBK-189C §5): β̂ = N / Σ_q Σ_i ln(T_q / t_iq),
 *       λ̂ = N / Σ_q T_q^β̂, N = all recurrences.</li>
 *   <li>95 % bounds on β (time-terminated data): given N, the values β·ln(T_q / t_iq) are independent
 *       standard exponentials, so 2Nβ / β̂ ~ χ²(2N) exactly and
 *       β_lo = β̂·χ²_{0.025}(2N) / (2N), β_hi = β̂·χ²_{0.975}(2N) / (2N) (Crow 1974; these are the
 *       "Crow bounds" β̄·χ²/(2(N − 1)) written with the unbiased β̄ = (N − 1)β̂/N).</li>
 *   <li>Cumulative MTBF = Σ T_q / N; instantaneous MTBF = 1 / (λ̂β̂·T̄^(β̂−1)) at the fleet's mean
 *       end age T̄.</li>
 *   <li>Laplace test for many time-terminated systems: under a constant rate each recurrence age is
 *       uniform on (0, T_q), so U = (Σ_q Σ_i t_iq − Σ_q N_q T_q / 2) / √(Σ_q N_q T_q² / 12) is
 *       approximately N(0, 1); p = 2(1 − Φ(|U|)); U &gt; 0 means recurrences crowd late (worsening).</li>
 *   <li>trend: IMPROVING when β_hi &lt; 1, WORSENING when β_lo &gt; 1, else STABLE.</li>
 * </ul>
 * Recurrences at age 0 (ln(T/0) is infinite) are not used; fewer than {@link #MIN_RECURRENCES}
 * usable recurrences give nulls and a reason.
 */
public final class CrowAmsaa {
    public static final int MIN_RECURRENCES = 3;
    private static final NormalDistribution NORMAL = new NormalDistribution();

    public record Fit(int systems, int failures, Double beta, Double betaLo, Double betaHi, Double lambda,
                      Double cumMtbf, Double instMtbf, Double laplaceStat, Double laplaceP, String trend, String reason) {}

    private CrowAmsaa() {}

    /**
     * @param ends end-of-observation age T_q of each system (&gt; 0)
     * @param ages recurrence ages of each system (ages[q] may be empty; each age in (0, T_q])
     */
    public static Fit fit(double[] ends, double[][] ages) {
        int systems = ends.length;
        int n = 0;
        double sumLog = 0;
        double sumT = 0;
        double sumEnds = 0;
        double laplaceMean = 0;
        double laplaceVar = 0;
        for (int q = 0; q < systems; q++) {
            double tq = ends[q];
            sumEnds += tq;
            int nq = 0;
            for (double t : ages[q]) {
                if (t > 0 && t <= tq) {
                    nq++;
                    sumLog += Math.log(tq / t);
                    sumT += t;
                }
            }
            n += nq;
            laplaceMean += nq * tq / 2;
            laplaceVar += nq * tq * tq / 12;
        }
        if (n < MIN_RECURRENCES) {
            return new Fit(systems, n, null, null, null, null, null, null, null, null, null,
                    "fewer than " + MIN_RECURRENCES + " recurrences");
        }
        if (!(sumLog > 0)) {
            return new Fit(systems, n, null, null, null, null, null, null, null, null, null,
                    "every recurrence at its system's end of observation: β is unbounded");
        }
        double beta = n / sumLog;
        double sumTb = 0;
        for (double tq : ends) {
            sumTb += Math.pow(tq, beta);
        }
        double lambda = n / sumTb;
        ChiSquaredDistribution chi = new ChiSquaredDistribution(2.0 * n);
        double betaLo = beta * chi.inverseCumulativeProbability(0.025) / (2.0 * n);
        double betaHi = beta * chi.inverseCumulativeProbability(0.975) / (2.0 * n);
        double meanAge = sumEnds / systems;
        double instMtbf = 1 / (lambda * beta * Math.pow(meanAge, beta - 1));
        double u = (sumT - laplaceMean) / Math.sqrt(laplaceVar);
        double p = 2 * (1 - NORMAL.cumulativeProbability(Math.abs(u)));
        String trend = betaHi < 1 ? "IMPROVING" : betaLo > 1 ? "WORSENING" : "STABLE";
        return new Fit(systems, n, beta, betaLo, betaHi, lambda, sumEnds / n, instMtbf, u, p, trend, null);
    }
}
