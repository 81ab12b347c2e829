package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.reference.Dimension;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Pure transforms of the reliability job (SPEC §4 "Field reliability"). */
public final class ReliabilityTransforms {
    static final double DAYS_PER_MONTH = 30.4375;
    private static final double MICROS_PER_DAY = 86_400_000_000.0;

    private ReliabilityTransforms() {}

    /**
     * One row per unit in service at {@code end} (the instant after as_of): its first install,
     * first failure at or after install, number of failures, time in service t (days, to the first
     * failure or to {@code end}) and build month.
     */
    public static Dataset<Row> unitLives(Dataset<Row> installs, Dataset<Row> failures, Dataset<Row> units, Timestamp end) {
        return lives(unitRows(installs, failures, units, end), end);
    }

    /** As above, with each unit's {@code lots} ({@link #unitRows(Dataset, Dataset, Dataset, Dataset, Timestamp)}). */
    public static Dataset<Row> unitLives(Dataset<Row> installs, Dataset<Row> failures, Dataset<Row> units, Dataset<Row> components,
                                         Timestamp end) {
        return lives(unitRows(installs, failures, units, components, end), end);
    }

    /**
     * The part of {@link #unitLives} that does not move with the cut-off (what {@link UnitStore}
     * keeps): per unit installed before {@code end}, serial_no, installed_at, product_model and
     * plant_id (of the first install), first_failure_at and failures (at or after install, before
     * end), built_at (first production record) and built_plant, built_line, built_model (where it was
     * built: of its production record with the smallest plant, line and model, should it have two).
     */
    public static Dataset<Row> unitRows(Dataset<Row> installs, Dataset<Row> failures, Dataset<Row> units, Timestamp end) {
        return unitRows(installs, failures, units, null, end).drop("lots");
    }

    /**
     * As above, with {@code lots}: the unit's distinct (lot_id, supplier_id, component) of
     * silver.unit_components, sorted (null without any). A unit's parts are traceability, not events of
     * the period: they are not cut off at {@code end}, as a unit's production record is not.
     *
     * @param components unit_components (serial_no, lot_id, supplier_id, component), or null (no lots)
     */
    public static Dataset<Row> unitRows(Dataset<Row> installs, Dataset<Row> failures, Dataset<Row> units, Dataset<Row> components,
                                        Timestamp end) {
        Column before = col("event_time").lt(lit(end));
        Dataset<Row> installed = installs.filter(before).groupBy("serial_no").agg(
                min("event_time").as("installed_at"),
                min_by(col("product_model"), col("event_time")).as("product_model"),
                min_by(col("plant_id"), col("event_time")).as("plant_id"));
        Dataset<Row> failed = failures.filter(before).select(col("serial_no"), col("event_time").as("failed_at"))
                .join(installed.select("serial_no", "installed_at"), "serial_no")
                .filter(col("failed_at").geq(col("installed_at")))
                .groupBy("serial_no").agg(min("failed_at").as("first_failure_at"), count(lit(1)).as("failures"));
        Dataset<Row> built = units.groupBy("serial_no").agg(min("event_time").as("built_at"), buildingRecord(units).as("b"));
        Dataset<Row> rows = installed.join(failed, installed.col("serial_no").equalTo(failed.col("serial_no")), "left")
                .drop(failed.col("serial_no"))
                .join(built, "serial_no", "left");
        if (components == null) {
            rows = rows.withColumn("lots", lit(null).cast(LOTS));
        } else {
            rows = rows.join(components.groupBy("serial_no").agg(sort_array(collect_set(
                    struct(col("lot_id"), col("supplier_id"), col("component")))).as("lots")), "serial_no", "left");
        }
        return rows.withColumn("failures", coalesce(col("failures"), lit(0L)))
                .select(col("serial_no"), col("installed_at"), col("product_model"), col("plant_id"), col("first_failure_at"),
                        col("failures"), col("built_at"), col("b.plant_id").as("built_plant"), col("b.line_id").as("built_line"),
                        col("b.product_model").as("built_model"), col("lots"));
    }

    /** The type of a unit's {@code lots}. */
    public static final org.apache.spark.sql.types.DataType LOTS = DataTypes.createArrayType(new StructType()
            .add("lot_id", DataTypes.StringType).add("supplier_id", DataTypes.StringType).add("component", DataTypes.StringType));

    /**
     * The aggregate that names where a unit was built: of its production records (normally one), the struct
     * (plant_id, line_id, product_model) of the smallest, so a unit with two records counts on one line, never two.
     * Every job that places a unit on its building line uses this one rule.
     */
    public static Column buildingRecord(Dataset<Row> units) {
        return min(struct(col("plant_id"), optional(units, "line_id"), optional(units, "product_model")));
    }

    /** The column, or a null string where the rows have none (units given to the life models alone need no line). */
    private static Column optional(Dataset<Row> rows, String column) {
        return java.util.Arrays.asList(rows.columns()).contains(column) ? col(column) : lit(null).cast("string").as(column);
    }

    /** {@link #unitRows} with failed, t_days (to the first failure or {@code end}) and build_month. */
    public static Dataset<Row> lives(Dataset<Row> unitRows, Timestamp end) {
        Column until = coalesce(col("first_failure_at"), lit(end));
        return unitRows
                .withColumn("failed", col("first_failure_at").isNotNull())
                .withColumn("t_days", unix_micros(until).minus(unix_micros(col("installed_at"))).divide(MICROS_PER_DAY))
                .withColumn("build_month", date_format(col("built_at"), "yyyy-MM"));
    }

    /** duty_hours_per_day and warranty_months per model, with the documented defaults. */
    public static Dataset<Row> withProductDefaults(Dataset<Row> rows, Dataset<Row> products) {
        return rows.join(products.select("product_model", "duty_hours_per_day", "warranty_months"), "product_model", "left")
                .withColumn("defaulted", col("duty_hours_per_day").isNull().or(col("warranty_months").isNull()))
                .withColumn("duty_hours_per_day", coalesce(col("duty_hours_per_day"), lit(Dimension.DEFAULT_DUTY_HOURS)))
                .withColumn("warranty_months", coalesce(col("warranty_months"), lit(Dimension.DEFAULT_WARRANTY_MONTHS)));
    }

    public static final StructType WEIBULL = new StructType()
            .add("product_model", DataTypes.StringType, false).add("scope", DataTypes.StringType, false)
            .add("scope_value", DataTypes.StringType, true).add("n_units", DataTypes.IntegerType, false)
            .add("n_failures", DataTypes.IntegerType, false).add("beta", DataTypes.DoubleType, true)
            .add("beta_lo", DataTypes.DoubleType, true).add("beta_hi", DataTypes.DoubleType, true)
            .add("eta_days", DataTypes.DoubleType, true).add("eta_lo", DataTypes.DoubleType, true)
            .add("eta_hi", DataTypes.DoubleType, true).add("b10_days", DataTypes.DoubleType, true)
            .add("mttf_days", DataTypes.DoubleType, true).add("log_likelihood", DataTypes.DoubleType, true)
            .add("failure_pattern", DataTypes.StringType, true).add("method", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true);

    /**
     * Weibull fits per product_model × scope (ALL, PLANT, BUILD_MONTH), distributed: the units are
     * gathered per model × plant × build month by Spark's own aggregation (no per-row objects), then
     * each model's cells are combined into its scopes and fitted on an executor (never on the driver).
     */
    public static Dataset<Row> weibull(Dataset<Row> lives) {
        Dataset<Row> cells = lives.filter(col("t_days").gt(0))
                .groupBy("product_model", "plant_id", "build_month")
                .agg(collect_list(struct(col("t_days"), col("failed"))).as("units"));
        return cells.groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) ReliabilityTransforms::fitModel, Encoders.row(WEIBULL));
    }

    /** One model's cells (plant × build month): the ALL fit, one per plant and one per build month. */
    private static Iterator<Row> fitModel(String model, Iterator<Row> cells) {
        java.util.Map<String, Units> scopes = new java.util.TreeMap<>();
        while (cells.hasNext()) {
            Row c = cells.next();
            List<Row> units = c.getList(3);
            scopes.computeIfAbsent("ALL\u0001", k -> new Units()).add(units);
            if (!c.isNullAt(1)) {
                scopes.computeIfAbsent("PLANT\u0001" + c.getString(1), k -> new Units()).add(units);
            }
            if (!c.isNullAt(2)) {
                scopes.computeIfAbsent("BUILD_MONTH\u0001" + c.getString(2), k -> new Units()).add(units);
            }
        }
        List<Row> out = new ArrayList<>();
        scopes.forEach((key, u) -> {
            String[] k = key.split("\u0001", -1);
            Weibull.Fit w = Weibull.fit(u.times(), u.failed());
            out.add(RowFactory.create(model, k[0], k[1].isEmpty() ? null : k[1], w.n(), w.failures(), w.beta(),
                    w.betaLo(), w.betaHi(), w.eta(), w.etaLo(), w.etaHi(), w.b10(), w.mttf(), w.logLikelihood(),
                    w.pattern(), "MLE_RIGHT_CENSORED", w.reason()));
        });
        return out.iterator();
    }

    /** Times in service and failure flags of gathered units ({@code struct(t_days, failed)} rows), appended cell by cell. */
    public static final class Units {
        private double[] t = new double[64];
        private boolean[] f = new boolean[64];
        private int n;

        public static Units of(List<Row> units) {
            Units u = new Units();
            u.add(units);
            return u;
        }

        public void add(List<Row> units) {
            if (n + units.size() > t.length) {
                int size = Math.max(t.length * 2, n + units.size());
                t = java.util.Arrays.copyOf(t, size);
                f = java.util.Arrays.copyOf(f, size);
            }
            for (Row u : units) {
                t[n] = u.getDouble(0);
                f[n] = u.getBoolean(1);
                n++;
            }
        }

        public double[] times() {
            return java.util.Arrays.copyOf(t, n);
        }

        public boolean[] failed() {
            return java.util.Arrays.copyOf(f, n);
        }
    }

    public static final StructType KM = new StructType()
            .add("product_model", DataTypes.StringType, false).add("t_days", DataTypes.DoubleType, false)
            .add("at_risk", DataTypes.IntegerType, false).add("failures", DataTypes.IntegerType, false)
            .add("survival", DataTypes.DoubleType, false).add("std_err", DataTypes.DoubleType, true)
            .add("ci_lo", DataTypes.DoubleType, true).add("ci_hi", DataTypes.DoubleType, true);

    /** Kaplan–Meier per product model, distributed like the fits (each model's units gathered by Spark's aggregation). */
    public static Dataset<Row> kaplanMeier(Dataset<Row> lives) {
        return lives.filter(col("t_days").gt(0))
                .groupBy("product_model").agg(collect_list(struct(col("t_days"), col("failed"))).as("units"))
                .flatMap((org.apache.spark.api.java.function.FlatMapFunction<Row, Row>) m -> {
                    String model = m.getString(0);
                    Units units = Units.of(m.getList(1));
                    List<Row> out = new ArrayList<>();
                    for (KaplanMeier.Point p : KaplanMeier.estimate(units.times(), units.failed())) {
                        out.add(RowFactory.create(model, p.t(), p.atRisk(), p.failures(), p.survival(),
                                Double.isFinite(p.stdErr()) ? p.stdErr() : null, p.lower(), p.upper()));
                    }
                    return out.iterator();
                }, Encoders.row(KM));
    }

    /** reliability_summary rows for one grouping (plant_id, or the literal ALL). */
    public static Dataset<Row> summary(Dataset<Row> livesWithProducts, Column plant) {
        return livesWithProducts.withColumn("plant_id", plant)
                .groupBy("product_model", "plant_id")
                .agg(count(lit(1)).cast("long").as("units_in_service"), sum("t_days").as("unit_days"),
                        sum("failures").cast("long").as("failures"), min("duty_hours_per_day").as("duty_hours_per_day"))
                .withColumn("afr_pct", when(col("unit_days").gt(0), col("failures").divide(col("unit_days").divide(365)).multiply(100)))
                .withColumn("mtbf_hours", when(col("failures").gt(0), col("unit_days").multiply(col("duty_hours_per_day")).divide(col("failures"))))
                .drop("duty_hours_per_day");
    }

    /**
     * Warranty months-in-service (SPEC §4): for m = 1 … warranty_months, units exposed = units of the
     * build month that have completed m months (30.4375 days) in service by as_of; claims = warranty
     * failures of those units in their m-th month; per 1000 exposed, and cumulative.
     */
    public static Dataset<Row> warrantyMis(Dataset<Row> livesWithProducts, Dataset<Row> failures, Timestamp end) {
        Dataset<Row> units = livesWithProducts.filter(col("build_month").isNotNull())
                .withColumn("mis_reached", least(floor(unix_micros(lit(end)).minus(unix_micros(col("installed_at")))
                        .divide(MICROS_PER_DAY * DAYS_PER_MONTH)).cast("int"), col("warranty_months")));
        // units that reached m months are counted per m: group them by how far they got first, then
        // spread each group's count over 1..mis_reached (groups × months rows, not units × months)
        Dataset<Row> exposed = units.filter(col("mis_reached").geq(1))
                .groupBy("product_model", "build_month", "mis_reached").agg(count(lit(1)).as("n"))
                .withColumn("months_in_service", explode(sequence(lit(1), col("mis_reached"))))
                .groupBy("product_model", "build_month", "months_in_service").agg(sum("n").cast("long").as("units_exposed"));
        Dataset<Row> claims = failures.filter(col("event_time").lt(lit(end)).and(col("warranty")))
                .select(col("serial_no"), col("event_time").as("claim_at"))
                .join(units.select("serial_no", "product_model", "build_month", "installed_at", "mis_reached"), "serial_no")
                .withColumn("months_in_service", ceil(unix_micros(col("claim_at")).minus(unix_micros(col("installed_at")))
                        .divide(MICROS_PER_DAY * DAYS_PER_MONTH)).cast("int"))
                .filter(col("months_in_service").geq(1).and(col("months_in_service").leq(col("mis_reached"))))
                .groupBy("product_model", "build_month", "months_in_service").agg(count(lit(1)).cast("long").as("claims"));
        return exposed.join(claims, new String[] {"product_model", "build_month", "months_in_service"}, "left")
                .withColumn("claims", coalesce(col("claims"), lit(0L)))
                .withColumn("claims_per_1000", col("claims").divide(col("units_exposed")).multiply(1000))
                .withColumn("cum_claims_per_1000", sum("claims_per_1000").over(Window.partitionBy("product_model", "build_month")
                        .orderBy("months_in_service").rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
    }
}
