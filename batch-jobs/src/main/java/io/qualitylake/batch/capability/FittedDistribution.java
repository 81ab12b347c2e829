package io.qualitylake.batch.capability;

import io.qualitylake.batch.reliability.Weibull;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * The candidate process distributions of the percentile capability method, each fitted to one
 * sample: its CDF (for the Anderson–Darling ranking and the expected ppm) and its quantiles.
 *
 * <ul>
 *   <li>NORMAL: x̄ and s (n − 1).</li>
 *   <li>LOGNORMAL (threshold 0): ζ̂ = mean of ln x, σ̂ = standard deviation of ln x (n − 1), the
 *       same two-parameter form as SAS/QC PROC CAPABILITY's LOGNORMAL; whether SAS's σ̂ divides by
 *       n (maximum likelihood) or n − 1 could not be confirmed from its printed examples (see
 *       NonNormalCapabilityTest).</li>
 *   <li>WEIBULL (2-parameter): maximum likelihood (the reliability package's {@link Weibull}, all
 *       values as failures).</li>
 *   <li>BOX_COX: y = (x^λ − 1)/λ (ln x at λ = 0) with λ maximising the profile log-likelihood
 *       −(n/2)·ln σ̂²(λ) + (λ − 1)·Σ ln x on [−5, 5]; y normal with mean and s (n − 1).</li>
 * </ul>
 * The last three need positive values.
 */
public interface FittedDistribution {
    NormalDistribution STANDARD = new NormalDistribution();

    String name();

    double cdf(double x);

    /** The p-quantile; NaN where the fitted model has none. */
    double quantile(double p);

    static FittedDistribution normal(double[] x) {
        double[] ms = meanSd(x);
        return new FittedDistribution() {
            public String name() { return "NORMAL"; }

            public double cdf(double v) { return STANDARD.cumulativeProbability((v - ms[0]) / ms[1]); }

            public double quantile(double p) { return ms[0] + ms[1] * STANDARD.inverseCumulativeProbability(p); }
        };
    }

    static FittedDistribution lognormal(double[] x) {
        double[] logs = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            logs[i] = Math.log(x[i]);
        }
        double[] ms = meanSd(logs);
        return lognormal(ms[0], ms[1]);
    }

    /** The two-parameter lognormal (threshold 0) with scale ζ (mean of ln x) and shape σ (sd of ln x). */
    static FittedDistribution lognormal(double zeta, double sigma) {
        return new FittedDistribution() {
            public String name() { return "LOGNORMAL"; }

            public double cdf(double v) { return v <= 0 ? 0 : STANDARD.cumulativeProbability((Math.log(v) - zeta) / sigma); }

            public double quantile(double p) { return Math.exp(zeta + sigma * STANDARD.inverseCumulativeProbability(p)); }
        };
    }

    /** Null when the maximum likelihood fit does not exist (then the candidate is skipped). */
    static FittedDistribution weibull(double[] x) {
        boolean[] all = new boolean[x.length];
        java.util.Arrays.fill(all, true);
        Weibull.Fit f = Weibull.fit(x, all);
        if (f.beta() == null) {
            return null;
        }
        double beta = f.beta();
        double eta = f.eta();
        return new FittedDistribution() {
            public String name() { return "WEIBULL"; }

            public double cdf(double v) { return v <= 0 ? 0 : -Math.expm1(-Math.pow(v / eta, beta)); }

            public double quantile(double p) { return eta * Math.pow(-Math.log1p(-p), 1 / beta); }
        };
    }

    static FittedDistribution boxCox(double[] x) {
        double sumLog = 0;
        for (double v : x) {
            sumLog += Math.log(v);
        }
        final double sl = sumLog;
        int n = x.length;
        UnivariateFunction profile = lambda -> {
            double[] y = transform(x, lambda);
            double[] ms = meanSd(y);
            double mle = ms[1] * ms[1] * (n - 1) / n;
            return -0.5 * n * Math.log(mle) + (lambda - 1) * sl;
        };
        double lambda = new BrentOptimizer(1e-10, 1e-12).optimize(new MaxEval(500), new UnivariateObjectiveFunction(profile),
                GoalType.MAXIMIZE, new SearchInterval(-5, 5)).getPoint();
        double[] ms = meanSd(transform(x, lambda));
        return new FittedDistribution() {
            public String name() { return "BOX_COX"; }

            public double cdf(double v) {
                return v <= 0 ? 0 : STANDARD.cumulativeProbability((transform(v, lambda) - ms[0]) / ms[1]);
            }

            public double quantile(double p) {
                double y = ms[0] + ms[1] * STANDARD.inverseCumulativeProbability(p);
                if (Math.abs(lambda) < 1e-12) {
                    return Math.exp(y);
                }
                double base = lambda * y + 1;
                return base > 0 ? Math.pow(base, 1 / lambda) : Double.NaN;
            }

            @Override
            public String toString() { return "BOX_COX(lambda=" + lambda + ")"; }
        };
    }

    private static double[] transform(double[] x, double lambda) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = transform(x[i], lambda);
        }
        return y;
    }

    private static double transform(double v, double lambda) {
        return Math.abs(lambda) < 1e-12 ? Math.log(v) : (Math.pow(v, lambda) - 1) / lambda;
    }

    /** Mean and sample standard deviation (n − 1). */
    static double[] meanSd(double[] x) {
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= x.length;
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        return new double[] {mean, Math.sqrt(ss / (x.length - 1))};
    }
}
