package io.qualitylake.batch.grading;

/**
 * Entropy-weight TOPSIS: weights from the information each criterion carries across the
 * alternatives (Shannon entropy of the min–max normalised column), then closeness to the ideal
 * solution on vector-normalised, weighted values (Hwang &amp; Yoon 1981). Pure; one call per peer set.
 */
public final class Topsis {
    private Topsis() {}

    /** Criterion weights and each alternative's closeness C ∈ [0, 1] (1 = the ideal). */
    public record Result(double[] weights, double[] closeness) {}

    /**
     * @param x       alternatives × criteria, all finite
     * @param benefit per criterion: true when larger is better
     */
    public static Result rank(double[][] x, boolean[] benefit) {
        int m = x.length;
        int n = benefit.length;
        double[] w = entropyWeights(x, benefit);
        double[] norm = new double[n];
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (double[] row : x) {
                s += row[j] * row[j];
            }
            norm[j] = Math.sqrt(s);
        }
        double[][] v = new double[m][n];
        double[] best = new double[n];
        double[] worst = new double[n];
        for (int j = 0; j < n; j++) {
            best[j] = benefit[j] ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            worst[j] = benefit[j] ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            for (int i = 0; i < m; i++) {
                v[i][j] = norm[j] == 0 ? 0 : w[j] * x[i][j] / norm[j];
                best[j] = benefit[j] ? Math.max(best[j], v[i][j]) : Math.min(best[j], v[i][j]);
                worst[j] = benefit[j] ? Math.min(worst[j], v[i][j]) : Math.max(worst[j], v[i][j]);
            }
        }
        double[] c = new double[m];
        for (int i = 0; i < m; i++) {
            double dPlus = 0;
            double dMinus = 0;
            for (int j = 0; j < n; j++) {
                dPlus += (v[i][j] - best[j]) * (v[i][j] - best[j]);
                dMinus += (v[i][j] - worst[j]) * (v[i][j] - worst[j]);
            }
            dPlus = Math.sqrt(dPlus);
            dMinus = Math.sqrt(dMinus);
            c[i] = dPlus + dMinus == 0 ? 0.5 : dMinus / (dPlus + dMinus); // all alternatives identical: neutral
        }
        return new Result(w, c);
    }

    /**
     * wⱼ = (1 − eⱼ)/Σ(1 − eₖ), eⱼ = −Σ pᵢⱼ ln pᵢⱼ / ln m, pᵢⱼ = rᵢⱼ/Σᵢ rᵢⱼ over the direction-aware
     * min–max normalised rᵢⱼ. A criterion on which all alternatives agree carries no information
     * (weight 0); if none carries any, the weights are equal.
     */
    static double[] entropyWeights(double[][] x, boolean[] benefit) {
        int m = x.length;
        int n = benefit.length;
        double[] d = new double[n];
        double total = 0;
        for (int j = 0; j < n; j++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : x) {
                min = Math.min(min, row[j]);
                max = Math.max(max, row[j]);
            }
            if (max == min || m < 2) {
                d[j] = 0;
                continue;
            }
            double[] r = new double[m];
            double sum = 0;
            for (int i = 0; i < m; i++) {
                r[i] = benefit[j] ? (x[i][j] - min) / (max - min) : (max - x[i][j]) / (max - min);
                sum += r[i];
            }
            double e = 0;
            for (int i = 0; i < m; i++) {
                double p = r[i] / sum;
                if (p > 0) {
                    e -= p * Math.log(p);
                }
            }
            d[j] = 1 - e / Math.log(m);
            total += d[j];
        }
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            w[j] = total == 0 ? 1.0 / n : d[j] / total;
        }
        return w;
    }
}
