package io.qualitylake.batch.suppliers;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Suspect supplier lots (SPEC §5): for each lot, O = first field failures among the installed units
 * that carry it, E = what the life model of each unit's product_model at its building plant, fitted
 * without that lot, predicts over the unit's own exposure window on the age axis ({@link LotExpectation});
 * p = P(Poisson(E) ≥ O); Benjamini–Hochberg q over all lots; flagged when q &lt; 0.05 and O ≥ 3.
 */
public final class SupplierTransforms {
    private SupplierTransforms() {}

    public static final double Q_LIMIT = 0.05;
    public static final long MIN_FAILURES = 3;

    /** Upper tail P(Poisson(e) ≥ o); 1 when o ≤ 0; for e = 0 and o > 0, 0 (impossible under the baseline). */
    public static double poissonUpperTail(double e, long o) {
        if (o <= 0) {
            return 1.0;
        }
        if (e <= 0) {
            return 0.0;
        }
        return 1.0 - new PoissonDistribution(null, e, PoissonDistribution.DEFAULT_EPSILON,
                PoissonDistribution.DEFAULT_MAX_ITERATIONS).cumulativeProbability((int) Math.min(o - 1, Integer.MAX_VALUE));
    }

    private static final UserDefinedFunction UPPER_TAIL = functions.udf(
            (Double e, Long o) -> poissonUpperTail(e == null ? 0 : e, o == null ? 0 : o), DataTypes.DoubleType);

    /**
     * @param units      production_units (serial_no, plant_id: the building plant)
     * @param components unit_components (serial_no, lot_id, supplier_id, component)
     * @return lot_id, supplier_id, component, product_model (the lot's main model), units, unit_days
     *         (install → first failure or end), observed_failures (units with a first failure, counted
     *         where E is known), expected_failures ({@link LotExpectation}), expected_method
     *         (WEIBULL_PLANT, AGE_BANDS or MIXED over the lot's model × plant groups), expected_reason
     *         (why not Weibull, per group), ratio, p_value, q_value, flagged, explained_by
     */
    public static Dataset<Row> suspectLots(Dataset<Row> units, Dataset<Row> components, Dataset<Row> installs,
                                           Dataset<Row> failures, Timestamp end) {
        return suspectLots(io.qualitylake.batch.reliability.ReliabilityTransforms.unitLives(installs, failures, units, components, end));
    }

    /**
     * As above from per-unit lives ({@link io.qualitylake.batch.reliability.ReliabilityTransforms#lives}: the
     * reliability job's unit store, which keeps each unit's building plant and lots).
     */
    public static Dataset<Row> suspectLots(Dataset<Row> unitLives) {
        Dataset<Row> perUnit = LotExpectation.perUnit(LotExpectation.lives(unitLives))
                .withColumn("failures", when(col("failed").and(col("expected").isNotNull()), 1L).otherwise(0L));
        Dataset<Row> perGroup = perUnit.groupBy("lot_id", "supplier_id", "component", "product_model", "plant_id")
                .agg(count(lit(1)).as("units"), sum("t_days").as("unit_days"), sum("failures").as("observed"),
                        sum("expected").as("expected"), first("expected_method").as("method"),
                        first("expected_reason", true).as("reason"));
        Dataset<Row> perModel = perGroup.groupBy("lot_id", "product_model").agg(sum("units").as("model_units"));
        Dataset<Row> lots = perGroup.groupBy("lot_id", "supplier_id", "component")
                .agg(sum("units").as("units"), sum("unit_days").as("unit_days"), sum("observed").as("observed_failures"),
                        sum("expected").as("expected_failures"),
                        functions.collect_set("method").as("methods"),
                        functions.concat_ws("; ", functions.sort_array(functions.collect_list(
                                when(col("reason").isNotNull(), functions.concat(col("product_model"), lit("@"),
                                        coalesce(col("plant_id"), lit("?")), lit(": "), col("reason")))))).as("expected_reason"))
                .join(perModel.groupBy("lot_id").agg(functions.max_by(col("product_model"), col("model_units")).as("product_model")), "lot_id")
                .withColumn("expected_method", when(functions.size(col("methods")).equalTo(1), col("methods").getItem(0))
                        .otherwise(lit("MIXED")))
                .withColumn("expected_reason", when(col("expected_reason").notEqual(""), col("expected_reason")))
                .drop("methods")
                .withColumn("ratio", when(col("expected_failures").gt(0), col("observed_failures").divide(col("expected_failures"))))
                .withColumn("p_value", when(col("expected_failures").isNotNull(),
                        UPPER_TAIL.apply(col("expected_failures"), col("observed_failures"))));
        Dataset<Row> tested = withQValues(lots)
                .withColumn("flagged", coalesce(col("q_value").lt(Q_LIMIT), lit(false)).and(col("observed_failures").geq(MIN_FAILURES)))
                .localCheckpoint(); // used three times below
        return explainedAway(tested, perUnit);
    }

    /**
     * Lots share units (a unit carries one lot per component), so a bad lot makes every lot that
     * rode on the same units look bad too. A flagged lot stays flagged only if its excess persists
     * on its units that carry no more significant flagged lot (smaller p, ties by lot_id): O and E
     * (each unit's own expectation, as in the test) are recomputed there and must still give
     * p &lt; 0.05 with O ≥ 3; otherwise the flag is withdrawn and {@code explained_by} names the most
     * significant flagged lot it shared units with.
     */
    static Dataset<Row> explainedAway(Dataset<Row> tested, Dataset<Row> perUnit) {
        Dataset<Row> candidates = functions.broadcast(tested.filter(col("flagged")).select("lot_id", "p_value"));
        Dataset<Row> candidateUnits = perUnit.join(candidates, "lot_id")
                .select("lot_id", "p_value", "serial_no", "failures", "expected");
        Dataset<Row> other = candidateUnits.select(col("serial_no"), col("lot_id").as("other_lot"), col("p_value").as("other_p"));
        Dataset<Row> stronger = candidateUnits.join(other, "serial_no")
                .filter(col("other_p").lt(col("p_value")).or(col("other_p").equalTo(col("p_value")).and(col("other_lot").lt(col("lot_id")))))
                .groupBy("lot_id", "serial_no").agg(functions.min_by(col("other_lot"), col("other_p")).as("by"),
                        min("other_p").as("by_p"));
        Dataset<Row> rechecked = candidateUnits.join(stronger, new String[] {"lot_id", "serial_no"}, "left")
                .groupBy("lot_id")
                .agg(sum(when(col("by").isNull(), col("failures")).otherwise(0L)).as("o_own"),
                        sum(when(col("by").isNull(), coalesce(col("expected"), lit(0.0))).otherwise(0.0)).as("e_own"),
                        functions.min_by(col("by"), col("by_p")).as("strongest_other"))
                .withColumn("p_own", UPPER_TAIL.apply(col("e_own"), col("o_own")))
                .withColumn("still", col("p_own").lt(Q_LIMIT).and(col("o_own").geq(MIN_FAILURES)));
        return tested.join(rechecked.select("lot_id", "o_own", "still", "strongest_other"), new String[] {"lot_id"}, "left")
                .withColumn("explained_by", when(col("flagged").and(col("still").equalTo(false)), col("strongest_other")))
                .withColumn("flagged", col("flagged").and(coalesce(col("still"), lit(true))))
                .withColumnRenamed("o_own", "observed_without_stronger_lots")
                .drop("still", "strongest_other");
    }

    /**
     * Benjamini–Hochberg step-up q-values over the rows with a p-value (column {@code p_value}, ties
     * broken by lot_id): q₍ᵢ₎ = min over j ≥ i of min(1, p₍ⱼ₎·m/j); rows without a p-value (no
     * expectation) are not tests and get a null q.
     */
    public static Dataset<Row> withQValues(Dataset<Row> rows) {
        WindowSpec all = Window.orderBy(col("p_value"), col("lot_id"));
        Column m = count(lit(1)).over(Window.partitionBy(lit(1)));
        Dataset<Row> untested = rows.filter(col("p_value").isNull()).withColumn("q_value", lit(null).cast("double"));
        return rows.filter(col("p_value").isNotNull()).withColumn("rank", row_number().over(all))
                .withColumn("bh", least(lit(1.0), col("p_value").multiply(m).divide(col("rank"))))
                .withColumn("q_value", min("bh").over(all.rowsBetween(Window.currentRow(), Window.unboundedFollowing())))
                .drop("rank", "bh")
                .unionByName(untested);
    }

    /**
     * Per supplier: lots, units, failures, expected, failure_ratio = O/E, flagged lots, and a score:
     * 100 at O/E ≤ 1, minus 50 per unit of O/E above 1, minus 25 per flagged lot, clamped to 0–100;
     * graded AAA ≥ 90, AA ≥ 80, A ≥ 70, B ≥ 60, else C (the line-grade bands).
     */
    public static Dataset<Row> scorecards(Dataset<Row> lots) {
        Dataset<Row> s = lots.groupBy("supplier_id")
                .agg(countDistinct("lot_id").as("lots"), sum("units").as("units"), sum("observed_failures").as("field_failures"),
                        sum("expected_failures").as("expected_failures"),
                        sum(when(col("flagged"), 1).otherwise(0)).as("flagged_lots"), first("component").as("main_component"))
                .withColumn("failure_ratio", when(col("expected_failures").gt(0), col("field_failures").divide(col("expected_failures"))));
        Column score = greatest(lit(0.0), least(lit(100.0), lit(100.0)
                .minus(greatest(lit(0.0), coalesce(col("failure_ratio"), lit(1.0)).minus(1)).multiply(50))
                .minus(col("flagged_lots").multiply(25))));
        return s.withColumn("score", score)
                .withColumn("grade", when(col("score").geq(90), "AAA").when(col("score").geq(80), "AA")
                        .when(col("score").geq(70), "A").when(col("score").geq(60), "B").otherwise("C"));
    }
}
