package io.qualitylake.batch.suppliers;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.reliability.ReliabilityTransforms;
import io.qualitylake.batch.reliability.Weibull;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Expected field failures of a lot's units that respect age and plant (SPEC §5 "Suppliers").
 *
 * <p>Each installed unit is exposed on its own age axis from install (age 0) to its first failure or
 * the end of as_of (the reliability job's time-in-service convention, {@link ReliabilityTransforms#unitLives}).
 * The reference for lot L's units of product_model m built at plant p is the group (m, p) without
 * L's units. E = Σ over L's units of H(age at end) − H(0), where H is
 * <ul>
 *   <li>{@code WEIBULL_PLANT}: the Weibull cumulative hazard (t/η)^β of the censored MLE
 *       ({@link Weibull#fit}) of the reference, or</li>
 *   <li>{@code AGE_BANDS}: when that fit is impossible (fewer than 2 distinct failure times, no
 *       finite maximum), a piecewise-constant hazard over 30-day age bands, each band's rate =
 *       reference first failures in the band ÷ reference unit-days in the band (exact leave-one-lot-out,
 *       from aggregates); a band the reference never reached takes the reference's pooled rate.</li>
 * </ul>
 * When the lot is on every traced unit of its component in the group (the plant used no other lot
 * of that component for that model), the units "without the lot" are only units without component
 * records, which may well carry it: they are no reference. The same model at the other plants,
 * without the lot, is used instead ({@code WEIBULL_MODEL}, with a reason; plant differences then
 * stay in E). Where that is impossible too (the model is built at no other plant), the plant's
 * own units serve as above. A unit with no reference at all gets a null expectation, and a reason.
 *
 * <p>Leave-one-lot-out, made cheap: the Weibull of (m, p) is fitted once on all its units; it is
 * refitted without L only when L holds more than {@value #REFIT_SHARE} of the group's units or of
 * its failures. Below that, L's own units pull the fitted cumulative hazard towards L's by at most
 * about share × (O/E − 1) (the MLE is a weighted compromise; for a lot with twice the reference
 * hazard and 5 % of the units, E is ≤ ~5 % too high), which costs a little power and never adds a
 * false flag. Weekly lots of a plant's supplier hold ~1/weeks of the group's units, so in a year of
 * data only lots with outsized shares (or many failures) are refitted.
 *
 * <p>O is counted on the same convention: a unit counts once, at its first failure at or after
 * install (a Weibull life is time to first failure; counting recurrences would need a recurrence
 * model on the reference side too).
 */
public final class LotExpectation {
    private LotExpectation() {}

    public static final String WEIBULL_PLANT = "WEIBULL_PLANT";
    public static final String AGE_BANDS = "AGE_BANDS";
    /** Refit the group without a lot when the lot holds more than this share of its units or failures. */
    public static final double REFIT_SHARE = 0.05;
    public static final double BAND_DAYS = 30.0;
    /** Used when the lot is on every traced unit of its component in its model × plant group. */
    public static final String WEIBULL_MODEL = "WEIBULL_MODEL";
    static final String NO_REFERENCE = "no units of the model at the plant without the lot";
    static final String ONLY_CARRIER = "the lot is on every traced unit of its component at the plant: "
            + "compared with the model at the other plants";

    private static final String[] GROUP = {"product_model", "plant_id"};
    private static final String[] PAIR = {"lot_id", "product_model", "plant_id"};

    /**
     * Per installed unit: serial_no, product_model, plant_id (the building plant of the production
     * record; the install's plant when there is none), t_days (install → first failure or end),
     * failed (first failure at or after install before end) and lots, from the reliability job's
     * per-unit lives ({@link ReliabilityTransforms#lives} of
     * {@link ReliabilityTransforms#unitRows(Dataset, Dataset, Dataset, Dataset, Timestamp)}).
     */
    public static Dataset<Row> lives(Dataset<Row> unitLives) {
        return unitLives.select(col("serial_no"), col("product_model"), coalesce(col("built_plant"), col("plant_id")).as("plant_id"),
                col("t_days"), col("failed"), col("lots"));
    }

    /**
     * @param livesWithLots from {@link #lives}: per installed unit, with its distinct lots
     * @return per lot and unit: lot_id, supplier_id, component, serial_no, product_model, plant_id,
     *         t_days, failed, expected (null without a reference), expected_method, expected_reason
     */
    public static Dataset<Row> perUnit(Dataset<Row> livesWithLots) {
        // Each stage is materialised once (localCheckpoint: computed on the executors, lineage cut):
        // the stages are reused many times below, and without the cut the fits would be recomputed
        // per use and the query plan would grow with every reuse (minutes of planning).
        Dataset<Row> both = livesWithLots.localCheckpoint();
        Dataset<Row> lives = both.drop("lots");
        // one row per unit and lot: the unit's own rows unnested, no join (the lots are distinct per unit)
        Dataset<Row> lotLives = both.select(col("serial_no"), col("product_model"), col("plant_id"), col("t_days"), col("failed"),
                        explode(col("lots")).as("lot"))
                .select(col("serial_no"), col("lot.lot_id").as("lot_id"), col("lot.supplier_id").as("supplier_id"),
                        col("lot.component").as("component"), col("product_model"), col("plant_id"), col("t_days"), col("failed"))
                .localCheckpoint();
        // per model × plant × component: the units carrying any lot of it (from the units' own lots: no
        // distinct count over the unit × lot rows)
        Dataset<Row> traced = both.select(col("product_model"), col("plant_id"), explode(array_distinct(col("lots.component"))).as("component"))
                .groupBy("product_model", "plant_id", "component").agg(count(lit(1)).as("c_units"));
        Dataset<Row> params = pairModels(lives, lotLives, traced).localCheckpoint();
        Dataset<Row> bands = bandRates(lives, lotLives,
                params.filter(col("expected_method").equalTo(AGE_BANDS)).select("lot_id", "product_model", "plant_id"));
        Column weibull = pow(col("t_days").divide(col("eta")), col("beta"));
        Column banded = expr("aggregate(sequence(0, cast(floor(t_days / " + BAND_DAYS + ") AS INT)), 0D, "
                + "(acc, b) -> acc + greatest(0D, least(" + BAND_DAYS + ", t_days - b * " + BAND_DAYS + ")) "
                + "* coalesce(element_at(band_rates, b + 1), pooled_rate))");
        return lotLives.join(params, PAIR).join(bands, PAIR, "left")
                .withColumn("expected", when(col("expected_method").isin(WEIBULL_PLANT, WEIBULL_MODEL), weibull)
                        .when(col("pooled_rate").isNotNull(), banded))
                .withColumn("expected_reason", when(col("expected").isNull(), lit(NO_REFERENCE)).otherwise(col("fit_reason")))
                .select("lot_id", "supplier_id", "component", "serial_no", "product_model", "plant_id", "t_days", "failed",
                        "expected", "expected_method", "expected_reason")
                .localCheckpoint();
    }

    /**
     * Per lot × model × plant: the Weibull parameters of the reference (the group's own fit, or the
     * refit without the lot when its share exceeds {@link #REFIT_SHARE}), the method, and why no
     * Weibull when none.
     *
     * @param traced per product_model × plant_id × component: c_units, the units carrying any lot of it
     */
    static Dataset<Row> pairModels(Dataset<Row> lives, Dataset<Row> lotLives, Dataset<Row> traced) {
        Column failedInt = when(col("failed"), 1L).otherwise(0L);
        Dataset<Row> groups = lives.groupBy(cols(GROUP)).agg(count(lit(1)).as("g_units"), sum(failedInt).as("g_failures"));
        Dataset<Row> pairs = lotLives.groupBy(cols(PAIR)).agg(count(lit(1)).as("l_units"), sum(failedInt).as("l_failures"),
                        first("component").as("component"))
                .join(groups, GROUP)
                .join(traced, new String[] {"product_model", "plant_id", "component"})
                .withColumn("refit", col("l_units").gt(col("g_units").multiply(REFIT_SHARE))
                        .or(col("l_failures").gt(col("g_failures").multiply(REFIT_SHARE))))
                .withColumn("covers", col("l_units").geq(col("c_units")))
                .localCheckpoint(); // used four times below
        // the group's own fit and its refits without each refitted lot, from one gathering of the group's units
        Dataset<Row> fits = groupFits(lives, lotLives, broadcast(pairs.filter(col("refit")).select(cols(PAIR)))).localCheckpoint();
        Dataset<Row> full = fits.filter(col("lot_id").equalTo("")).drop("lot_id");
        Dataset<Row> refits = fits.filter(col("lot_id").notEqual(""));
        // the lot is on every traced unit of its component in the group: the model at the other plants
        Dataset<Row> coverPairs = broadcast(pairs.filter(col("covers")).select(col("lot_id"), col("product_model"),
                col("plant_id").as("own_plant")));
        Dataset<Row> coverLotUnits = lotLives.select("serial_no", "lot_id").join(broadcast(coverPairs.select("lot_id").distinct()), "lot_id");
        Dataset<Row> elsewhere = lives.join(coverPairs, "product_model").filter(col("plant_id").notEqual(col("own_plant")))
                .join(coverLotUnits, new String[] {"serial_no", "lot_id"}, "left_anti");
        Dataset<Row> modelFits = fit(elsewhere.select("product_model", "own_plant", "lot_id", "t_days", "failed"));
        Dataset<Row> chosen = pairs
                .join(full.withColumnRenamed("beta", "f_beta").withColumnRenamed("eta", "f_eta").withColumnRenamed("reason", "f_reason"),
                        GROUP, "left")
                .join(refits.withColumnRenamed("beta", "r_beta").withColumnRenamed("eta", "r_eta").withColumnRenamed("reason", "r_reason"),
                        PAIR, "left")
                .join(modelFits.withColumnRenamed("beta", "m_beta").withColumnRenamed("eta", "m_eta").drop("reason"), PAIR, "left")
                .withColumn("by_model", col("covers").and(col("m_beta").isNotNull()).and(col("m_eta").isNotNull()))
                .withColumn("beta", when(col("by_model"), col("m_beta")).when(col("refit"), col("r_beta")).otherwise(col("f_beta")))
                .withColumn("eta", when(col("by_model"), col("m_eta")).when(col("refit"), col("r_eta")).otherwise(col("f_eta")))
                .withColumn("expected_method", when(col("by_model"), lit(WEIBULL_MODEL))
                        .when(col("beta").isNotNull().and(col("eta").isNotNull()), lit(WEIBULL_PLANT))
                        .otherwise(lit(AGE_BANDS)))
                .withColumn("fit_reason", when(col("by_model"), lit(ONLY_CARRIER))
                        .when(col("beta").isNull(), coalesce(when(col("refit"), col("r_reason")).otherwise(col("f_reason")), lit(NO_REFERENCE))));
        return chosen.select("lot_id", "product_model", "plant_id", "beta", "eta", "expected_method", "fit_reason");
    }

    /**
     * Per pair needing age bands: band_rates (index b = age band [30b, 30b+30) days, null where the
     * reference had no unit in the band) and pooled_rate (all bands; null without any reference
     * unit-day), exact leave-one-lot-out: group sums minus the lot's sums.
     */
    static Dataset<Row> bandRates(Dataset<Row> lives, Dataset<Row> lotLives, Dataset<Row> pairs) {
        Dataset<Row> wanted = broadcast(pairs);
        Dataset<Row> groupBands = banded(lives.join(broadcast(pairs.select(cols(GROUP)).distinct()), GROUP), GROUP);
        Dataset<Row> lotBands = banded(lotLives.join(wanted, PAIR), PAIR);
        String[] band = {"lot_id", "product_model", "plant_id", "band"};
        Dataset<Row> ref = wanted.join(groupBands, GROUP)
                .join(lotBands.withColumnRenamed("units", "l_units").withColumnRenamed("days", "l_days")
                        .withColumnRenamed("failures", "l_failures"), band, "left")
                .withColumn("r_units", col("units").minus(coalesce(col("l_units"), lit(0L))))
                .withColumn("r_days", when(col("r_units").gt(0), col("days").minus(coalesce(col("l_days"), lit(0.0)))).otherwise(lit(0.0)))
                .withColumn("r_failures", col("failures").minus(coalesce(col("l_failures"), lit(0L))))
                .withColumn("rate", when(col("r_units").gt(0).and(col("r_days").gt(0)), col("r_failures").divide(col("r_days"))));
        return ref.groupBy(cols(PAIR)).agg(
                        sort_array(collect_list(struct(col("band"), col("rate")))).getField("rate").as("band_rates"),
                        sum("r_failures").as("p_failures"), sum("r_days").as("p_days"))
                .withColumn("pooled_rate", when(col("p_days").gt(0), col("p_failures").divide(col("p_days"))))
                .drop("p_failures", "p_days");
    }

    /** Units' exposure spread over 30-day age bands: per key and band, units reaching it, unit-days in it, first failures in it. */
    private static Dataset<Row> banded(Dataset<Row> rows, String[] key) {
        Column last = floor(col("t_days").divide(BAND_DAYS)).cast("int");
        Column[] keep = cols(key);
        Column[] sel = Arrays.copyOf(keep, keep.length + 3);
        sel[keep.length] = col("t_days");
        sel[keep.length + 1] = col("failed");
        sel[keep.length + 2] = explode(sequence(lit(0), last)).as("band");
        String[] by = Arrays.copyOf(key, key.length + 1);
        by[key.length] = "band";
        return rows.select(sel)
                .groupBy(by[0], Arrays.copyOfRange(by, 1, by.length))
                .agg(count(lit(1)).as("units"),
                        sum(least(lit(BAND_DAYS), col("t_days").minus(col("band").multiply(BAND_DAYS)))).as("days"),
                        sum(when(col("failed").and(col("band").equalTo(last)), 1L).otherwise(0L)).as("failures"));
    }

    private static Column[] cols(String... names) {
        return Arrays.stream(names).map(n -> col(n)).toArray(Column[]::new);
    }

    static final StructType FIT = new StructType().add("product_model", DataTypes.StringType)
            .add("plant_id", DataTypes.StringType).add("lot_id", DataTypes.StringType)
            .add("beta", DataTypes.DoubleType).add("eta", DataTypes.DoubleType).add("reason", DataTypes.StringType);

    /**
     * Censored Weibull MLE per product_model × plant_id × lot_id (the excluded lot): each group's units
     * gathered by Spark's own aggregation (no per-row objects), then fitted on an executor.
     */
    static Dataset<Row> fit(Dataset<Row> rows) {
        String[] c = rows.columns();
        return rows.filter(col("t_days").gt(0))
                .groupBy(c[0], c[1], c[2]).agg(collect_list(struct(col("t_days"), col("failed"))).as("units"))
                .map((MapFunction<Row, Row>) LotExpectation::fitGroup, Encoders.row(FIT));
    }

    /**
     * Per product_model × plant_id: the Weibull fit of all the group's units (lot_id "") and, for each
     * lot of {@code refitPairs} in the group, the fit without that lot's units (lot_id = the lot). The
     * group's units are gathered once with their serial numbers, and each refit leaves out its lot's
     * serials on the executor: a refit costs a pass over the group's units in memory, not a copy of them
     * through a shuffle. A reference left with no unit gets no row, as a group without units gets none.
     */
    static Dataset<Row> groupFits(Dataset<Row> lives, Dataset<Row> lotLives, Dataset<Row> refitPairs) {
        Dataset<Row> members = lotLives.select("serial_no", "lot_id", "product_model", "plant_id").join(refitPairs, PAIR)
                .groupBy("product_model", "plant_id", "lot_id").agg(collect_list("serial_no").as("serials"))
                .groupBy(cols(GROUP)).agg(collect_list(struct(col("lot_id"), col("serials"))).as("refits"));
        return lives.filter(col("t_days").gt(0))
                .groupBy(cols(GROUP)).agg(collect_list(struct(col("t_days"), col("failed"), col("serial_no"))).as("units"))
                .join(members, GROUP, "left")
                .flatMap((FlatMapFunction<Row, Row>) LotExpectation::fitsOfGroup, Encoders.row(FIT));
    }

    private static java.util.Iterator<Row> fitsOfGroup(Row group) {
        String model = group.getAs("product_model");
        String plant = group.getAs("plant_id");
        List<Row> units = group.getList(group.fieldIndex("units"));
        List<Row> out = new java.util.ArrayList<>();
        out.add(fitRow(model, plant, "", units));
        int refits = group.fieldIndex("refits");
        if (!group.isNullAt(refits)) {
            for (Row lot : group.<Row>getList(refits)) {
                java.util.Set<String> own = new java.util.HashSet<>(lot.getList(1));
                List<Row> rest = units.stream().filter(u -> !own.contains(u.getString(2))).toList();
                if (!rest.isEmpty()) {
                    out.add(fitRow(model, plant, lot.getString(0), rest));
                }
            }
        }
        return out.iterator();
    }

    private static Row fitRow(String model, String plant, String lot, List<Row> units) {
        ReliabilityTransforms.Units u = ReliabilityTransforms.Units.of(units);
        Weibull.Fit w = Weibull.fit(u.times(), u.failed());
        return RowFactory.create(model, plant, lot, w.beta(), w.eta(), w.reason());
    }

    private static Row fitGroup(Row group) {
        return fitRow(group.getString(0), group.getString(1), group.getString(2), group.getList(3));
    }
}
