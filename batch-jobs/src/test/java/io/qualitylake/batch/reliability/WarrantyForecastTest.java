package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.testkit.BatchTestSupport;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.PascalDistribution;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The warranty forecast: a published worked example, its interval against library distributions, a hand-built lake. */
class WarrantyForecastTest {
    /**
     * ReliaSoft, Life Data Analysis Reference (Weibull++), "Warranty Data Analysis", Nevada chart
     * example and "Warranty Analysis Prediction Example" (reliawiki.com, Template:Example: Warranty
     * Analysis Prediction Example; also Weibull++ example 5, "Warranty Analysis Example"). Shipments
     * June 100, July 140, August 150; returns of the June shipment 3, 3, 5 in its months 1–3, of July
     * 2, 4, of August 4. As life data: failures 3+2+4 at 1 month, 3+4 at 2, 5 at 3; suspensions 146 at
     * 1, 134 at 2, 89 at 3. Printed: Weibull β = 2.49, η = 6.70 (months); for the June shipment
     * R(3) = 0.8735, R(4) = 0.7582, Q(1|3) = 1 − R(4)/R(3) = 0.132, so 89 × 0.132 ≈ 11.7 October
     * returns. Tolerances: half a unit in the last printed digit.
     */
    @Test
    void reproducesTheWeibullPlusPlusNevadaChartPrediction() {
        List<double[]> data = new ArrayList<>();
        int[][] groups = {{1, 9, 1}, {2, 7, 1}, {3, 5, 1}, {1, 146, 0}, {2, 134, 0}, {3, 89, 0}};
        for (int[] g : groups) {
            for (int i = 0; i < g[1]; i++) {
                data.add(new double[] {g[0], g[2]});
            }
        }
        double[] t = data.stream().mapToDouble(d -> d[0]).toArray();
        boolean[] f = new boolean[t.length];
        for (int i = 0; i < t.length; i++) {
            f[i] = data.get(i)[1] == 1;
        }
        Weibull.Fit fit = Weibull.fit(t, f);
        assertEquals(2.49, fit.beta(), 0.005);
        assertEquals(6.70, fit.eta(), 0.005);
        // the prediction with the printed parameters
        assertEquals(0.8735, WarrantyForecast.reliability(2.49, 6.70, 3), 0.00005);
        assertEquals(0.7582, WarrantyForecast.reliability(2.49, 6.70, 4), 0.00005);
        double q = WarrantyForecast.conditionalFailure(2.49, 6.70, 3, 3, 4);
        assertEquals(0.132, q, 0.0005);
        assertEquals(89 * 0.132, 89 * q, 89 * 0.0005);
        // the window is cut at the warranty end, and is empty once the warranty is over
        assertArrayEquals(new double[] {3, 3.5}, WarrantyForecast.window(3, 3.5, 0, 1), 1e-12);
        assertNull(WarrantyForecast.window(3, 3.5, 0.5, 1.5));
    }

    /**
     * The closed-form gradient of Q in (β, η) that feeds the interval's parameter variance, against central
     * differences of {@link WarrantyForecast#conditionalFailure} with relative step 1e-5 (truncation error
     * ~1e-10 relative, rounding ~1e-11; hence 1e-6 relative). Points: the Weibull++ example above, a unit at
     * age 0 (its ln is never taken), a tiny Q far in the left tail, a wear-out β, and an empty window.
     */
    @Test
    void gradientOfTheConditionalFailureMatchesCentralDifferences() {
        double[][] points = {{2.49, 6.70, 3, 3, 4}, {1.3, 900, 0, 30, 61}, {0.7, 5_000, 2, 3, 4}, {4.0, 400, 350, 380, 410},
                {1.5, 100, 10, 20, 20}};
        double[] out = new double[3];
        for (double[] p : points) {
            double b = p[0], e = p[1];
            WarrantyForecast.conditionalFailureWithGradient(b, e, p[2], p[3], p[4], out);
            double q = WarrantyForecast.conditionalFailure(b, e, p[2], p[3], p[4]);
            double hb = 1e-5 * b, he = 1e-5 * e;
            double dBeta = (WarrantyForecast.conditionalFailure(b + hb, e, p[2], p[3], p[4])
                    - WarrantyForecast.conditionalFailure(b - hb, e, p[2], p[3], p[4])) / (2 * hb);
            double dEta = (WarrantyForecast.conditionalFailure(b, e + he, p[2], p[3], p[4])
                    - WarrantyForecast.conditionalFailure(b, e - he, p[2], p[3], p[4])) / (2 * he);
            String at = java.util.Arrays.toString(p);
            assertEquals(q, out[0], 1e-15 + 1e-12 * q, "Q at " + at);
            assertEquals(dBeta, out[1], 1e-14 + 1e-6 * Math.abs(dBeta), "dQ/dbeta at " + at);
            assertEquals(dEta, out[2], 1e-16 + 1e-6 * Math.abs(dEta), "dQ/deta at " + at);
        }
        WarrantyForecast.conditionalFailureWithGradient(1.5, 100, 10, 20, 20, out);
        assertArrayEquals(new double[3], out, 0.0, "an empty window: Q and its gradient are zero");
    }

    /**
     * The interval's quantiles against commons-math's own distributions: with no parameter variance
     * (variance ≤ mean) the Poisson; over-dispersed, the negative binomial with the same two moments
     * — for r = 5 and mean 10 (variance 10 + 10²/5 = 30) that is Pascal(5, 1/3).
     */
    @Test
    void intervalQuantilesMatchTheLibraryDistributions() {
        for (double mean : new double[] {0.3, 2.5, 13.1, 140}) {
            PoissonDistribution p = new PoissonDistribution(mean);
            assertArrayEquals(new long[] {p.inverseCumulativeProbability(0.05), p.inverseCumulativeProbability(0.95)},
                    WarrantyForecast.interval(mean, mean * 0.97), "mean " + mean);
        }
        PascalDistribution nb = new PascalDistribution(5, 1.0 / 3);
        assertArrayEquals(new long[] {nb.inverseCumulativeProbability(0.05), nb.inverseCumulativeProbability(0.95)},
                WarrantyForecast.interval(10, 30));
        assertArrayEquals(new long[] {0, 0}, WarrantyForecast.interval(0, 0));
    }

    /**
     * A hand-built lake, as_of 2026-03-31 (end 2026-04-01T00:00Z): model M100 with warranty 24 months.
     * Forecast months are April … September. Units that claimed, and units installed after as_of, are
     * not at risk. A model with one failure cannot be fitted: its rows carry nulls and a reason.
     */
    @Test
    void handBuiltLake() {
        SparkSession spark = BatchTestSupport.spark();
        StructType lives = new StructType().add("serial_no", DataTypes.StringType).add("product_model", DataTypes.StringType)
                .add("plant_id", DataTypes.StringType).add("build_month", DataTypes.StringType)
                .add("installed_at", DataTypes.TimestampType).add("t_days", DataTypes.DoubleType)
                .add("failed", DataTypes.BooleanType).add("warranty_months", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        // M100: 40 units built 2026-01, installed 01-10; 10 of them failed at ages 5, 10, …, 50 days
        for (int i = 0; i < 40; i++) {
            boolean failed = i < 10;
            double age = 81; // 2026-01-10 → 2026-04-01
            rows.add(RowFactory.create("A" + i, "M100", "P1", "2026-01", ts("2026-01-10"), failed ? 5.0 * (i + 1) : age, failed, 24));
        }
        // M200: one failure only
        rows.add(RowFactory.create("B0", "M200", "P1", "2026-02", ts("2026-02-01"), 10.0, true, 24));
        rows.add(RowFactory.create("B1", "M200", "P1", "2026-02", ts("2026-02-01"), 59.0, false, 24));
        Dataset<Row> in = spark.createDataFrame(rows, lives);
        Dataset<Row> all = WarrantyForecastTransforms.forecast(in, LocalDate.of(2026, 3, 31)).cache();
        List<Row> out = all.filter(col("build_month").notEqual("ALL")).orderBy("product_model", "months_ahead").collectAsList();
        assertEquals(12, out.size());
        // each model's total (build_month ALL) equals its only build month here
        List<Row> totals = all.filter(col("build_month").equalTo("ALL")).orderBy("product_model", "months_ahead").collectAsList();
        assertEquals(12, totals.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(out.get(i).<Long>getAs("units_at_risk"), totals.get(i).<Long>getAs("units_at_risk"));
            assertEquals(out.get(i).<Double>getAs("expected_claims"), totals.get(i).<Double>getAs("expected_claims"));
            assertEquals(out.get(i).<Long>getAs("pi_hi"), totals.get(i).<Long>getAs("pi_hi"));
        }
        Row apr = out.get(0);
        assertEquals("2026-04", apr.getAs("forecast_month"));
        assertEquals(30L, apr.<Long>getAs("units_at_risk"));
        // expected claims = 30 × Q(81 → 81 + 30 days) under the fit of the same 40 units (an independent fit call)
        double[] t = new double[40];
        boolean[] f = new boolean[40];
        for (int i = 0; i < 40; i++) {
            f[i] = i < 10;
            t[i] = f[i] ? 5.0 * (i + 1) : 81;
        }
        Weibull.Fit fit = Weibull.fit(t, f);
        double h = Math.pow(81 / fit.eta(), fit.beta());
        double q = 1 - Math.exp(h - Math.pow(111 / fit.eta(), fit.beta())); // 1 − R(111)/R(81)
        assertEquals(30 * q, apr.<Double>getAs("expected_claims"), 1e-9);
        assertTrue(apr.<Long>getAs("pi_lo") <= 30 * q && 30 * q <= apr.<Long>getAs("pi_hi"));
        assertEquals("2026-09", out.get(5).getAs("forecast_month"));
        Row m200 = out.get(6);
        assertEquals("M200", m200.getAs("product_model"));
        assertEquals(1L, m200.<Long>getAs("units_at_risk"));
        assertNull(m200.getAs("expected_claims"));
        assertNull(m200.getAs("pi_hi"));
        assertTrue(m200.<String>getAs("reason").contains("fewer than 2"), m200.<String>getAs("reason"));
        assertEquals(0, out.stream().filter(r -> r.getAs("build_month") == null).count());
    }

    private static Timestamp ts(String date) {
        return Timestamp.from(LocalDate.parse(date).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }
}
