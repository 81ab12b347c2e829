package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * gold.warranty_forecast (SPEC §4): per product_model × build month, the expected warranty claims of
 * the units still at risk in each of the six calendar months after the month of as_of, with a 90 %
 * prediction interval ({@link WarrantyForecast}); build_month {@code ALL} is the model's total.
 *
 * <p>The life distribution is a two-parameter Weibull fitted by maximum likelihood to the same data
 * as warranty_mis — time in service to the first claim within warranty, units without one suspended
 * at their age or at the end of their warranty — at the day resolution the lake holds. It is fitted
 * per model × plant (plants of one model differ in life), falling back to the model's fit for a plant
 * with too few claims. A unit is at risk when it has no claim yet and is still under warranty; a
 * claimed unit leaves the population (the Nevada-chart convention), so the forecast counts first
 * claims. Each model's units are gathered and fitted on one executor, never on the driver.
 */
public final class WarrantyForecastTransforms {
    public static final int MONTHS_AHEAD = 6;
    static final String MODEL_FIT = "\u0000model";
    /** build_month of the model's total over all build months (its interval is the total's own, not a sum of intervals). */
    public static final String ALL_BUILD_MONTHS = "ALL";
    private static final double MICROS_PER_DAY = 86_400_000_000.0;

    private WarrantyForecastTransforms() {}

    public static final StructType FORECAST = new StructType()
            .add("product_model", DataTypes.StringType, false).add("build_month", DataTypes.StringType, false)
            .add("forecast_month", DataTypes.StringType, false).add("months_ahead", DataTypes.IntegerType, false)
            .add("units_at_risk", DataTypes.LongType, false).add("expected_claims", DataTypes.DoubleType, true)
            .add("pi_lo", DataTypes.LongType, true).add("pi_hi", DataTypes.LongType, true)
            .add("method", DataTypes.StringType, false).add("reason", DataTypes.StringType, true);

    /** The forecast windows after as_of: {start offsets, end offsets} in days from {@code end}, and their months. */
    record Windows(double[] from, double[] to, String[] months) implements java.io.Serializable {
        static Windows after(LocalDate asOf) {
            long end = asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
            YearMonth m = YearMonth.from(asOf);
            double[] from = new double[MONTHS_AHEAD];
            double[] to = new double[MONTHS_AHEAD];
            String[] months = new String[MONTHS_AHEAD];
            for (int k = 1; k <= MONTHS_AHEAD; k++) {
                from[k - 1] = (m.plusMonths(k).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - end) / 86_400.0;
                to[k - 1] = (m.plusMonths(k + 1).atDay(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond() - end) / 86_400.0;
                months[k - 1] = m.plusMonths(k).toString();
            }
            return new Windows(from, to, months);
        }
    }

    /**
     * @param livesWithProducts the reliability job's per-unit lives with warranty_months
     * @param asOf              the cut-off; units are observed until the end of this day
     */
    public static Dataset<Row> forecast(Dataset<Row> livesWithProducts, LocalDate asOf) {
        Timestamp end = Timestamp.from(asOf.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        Windows w = Windows.after(asOf);
        Dataset<Row> units = livesWithProducts
                .withColumn("w_days", col("warranty_months").multiply(ReliabilityTransforms.DAYS_PER_MONTH))
                .withColumn("age_days", unix_micros(lit(end)).minus(unix_micros(col("installed_at"))).divide(MICROS_PER_DAY))
                .select(col("product_model"), col("plant_id"), col("build_month"),
                        least(col("t_days"), col("w_days")).as("t_w"),
                        col("failed").and(col("t_days").lt(col("w_days"))).as("claimed"),
                        col("age_days"), col("w_days"));
        // each model's units gathered by Spark's own aggregation (no per-row objects through a groupByKey shuffle)
        Column[] fields = java.util.Arrays.stream(units.columns()).map(c -> col(c)).toArray(Column[]::new);
        return units.groupBy("product_model").agg(functions.collect_list(functions.struct(fields)).as("units"))
                .flatMap((FlatMapFunction<Row, Row>) g -> forecastModel(g.getString(0), g.<Row>getList(1).iterator(), w),
                        Encoders.row(FORECAST));
    }

    /** One model's units: fits, then the cells. Runs on an executor. */
    static Iterator<Row> forecastModel(String model, Iterator<Row> rows, Windows w) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        Map<String, LifeFit> fits = new HashMap<>();
        Map<String, List<Row>> byPlant = new TreeMap<>();
        for (Row r : all) {
            byPlant.computeIfAbsent(r.getString(1), p -> new ArrayList<>()).add(r);
        }
        byPlant.forEach((plant, rs) -> fits.put(plant, fit(rs)));
        fits.put(MODEL_FIT, fit(all));

        Map<String, Cell[]> cells = new TreeMap<>();
        for (Row r : all) {
            boolean atRisk = !r.getBoolean(4) && r.getDouble(5) > 0 && r.getDouble(5) < r.getDouble(6);
            if (r.isNullAt(2) || !atRisk) {
                continue;
            }
            String source = fits.get(r.getString(1)).fit().beta() != null ? r.getString(1) : MODEL_FIT;
            Weibull.Fit f = fits.get(source).fit();
            Cell[] row = cells.computeIfAbsent(r.getString(2), b -> Cell.row());
            Cell[] total = cells.computeIfAbsent(ALL_BUILD_MONTHS, b -> Cell.row());
            for (int k = 0; k < MONTHS_AHEAD; k++) {
                double[] win = WarrantyForecast.window(r.getDouble(5), r.getDouble(6), w.from()[k], w.to()[k]);
                if (win != null) {
                    row[k].add(source, f, r.getDouble(5), win);
                    total[k].add(source, f, r.getDouble(5), win);
                }
            }
        }
        List<Row> out = new ArrayList<>();
        cells.forEach((buildMonth, row) -> {
            for (int k = 0; k < MONTHS_AHEAD; k++) {
                out.add(row[k].toRow(model, buildMonth, w.months()[k], k + 1, fits));
            }
        });
        return out.iterator();
    }

    /** A fit with its observed information (for the parameter part of the interval). */
    record LifeFit(Weibull.Fit fit, double[][] information) {}

    private static LifeFit fit(List<Row> rows) {
        List<double[]> usable = new ArrayList<>();
        for (Row r : rows) {
            if (r.getDouble(3) > 0) {
                usable.add(new double[] {r.getDouble(3), r.getBoolean(4) ? 1 : 0});
            }
        }
        double[] t = new double[usable.size()];
        boolean[] f = new boolean[usable.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = usable.get(i)[0];
            f[i] = usable.get(i)[1] == 1;
        }
        Weibull.Fit fit = Weibull.fit(t, f);
        return new LifeFit(fit, fit.beta() == null ? null : Weibull.observedInformation(t, f, fit.beta(), fit.eta()));
    }

    /** One model × build month × forecast month: the sums over its units at risk. */
    static final class Cell {
        long units;
        double expected;
        double bernoulliVar;
        boolean modelFit;
        boolean unfitted;
        final Map<String, double[]> gradients = new HashMap<>();
        private final double[] qg = new double[3];

        static Cell[] row() {
            Cell[] c = new Cell[MONTHS_AHEAD];
            for (int k = 0; k < MONTHS_AHEAD; k++) {
                c[k] = new Cell();
            }
            return c;
        }

        void add(String source, Weibull.Fit f, double age, double[] win) {
            units++;
            if (f.beta() == null) {
                unfitted = true;
                return;
            }
            modelFit |= MODEL_FIT.equals(source);
            double b = f.beta();
            double e = f.eta();
            WarrantyForecast.conditionalFailureWithGradient(b, e, age, win[0], win[1], qg);
            double q = qg[0];
            expected += q;
            bernoulliVar += q * (1 - q);
            double[] g = gradients.computeIfAbsent(source, s -> new double[2]);
            g[0] += qg[1];
            g[1] += qg[2];
        }

        Row toRow(String model, String buildMonth, String month, int ahead, Map<String, LifeFit> fits) {
            if (unfitted) {
                return RowFactory.create(model, buildMonth, month, ahead, units, null, null, null, "WEIBULL_MLE",
                        "no life distribution: " + fits.get(MODEL_FIT).fit().reason());
            }
            double variance = bernoulliVar;
            for (Map.Entry<String, double[]> g : gradients.entrySet()) {
                variance += WarrantyForecast.parameterVariance(fits.get(g.getKey()).information(), g.getValue()[0], g.getValue()[1]);
            }
            long[] pi = WarrantyForecast.interval(expected, variance);
            return RowFactory.create(model, buildMonth, month, ahead, units, expected, pi[0], pi[1],
                    modelFit ? "WEIBULL_MLE_PLANT_OR_MODEL" : "WEIBULL_MLE_PLANT", null);
        }
    }
}
