package io.qualitylake.batch.benchmarks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.grading.FieldExposure;
import io.qualitylake.batch.grading.MonthlyRates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/** Plant benchmarks within peer groups, and industrial-cluster rankings from line grades (SPEC §5). */
public final class BenchmarkTransforms {
    private BenchmarkTransforms() {}

    /** KPI → true when higher is better. */
    public static final Map<String, Boolean> KPIS = new java.util.LinkedHashMap<>();

    static {
        KPIS.put("fpy", true);
        KPIS.put("dpmo", false);
        KPIS.put("quality_loss_rate", false);
        KPIS.put("afr_pct", false);
        KPIS.put("critical_cpk_share", true);
        KPIS.put("auto_collection_rate", true);
        KPIS.put("spot_check_pass_rate", true);
        KPIS.put("traceability_coverage", true);
    }

    /** Peer groups smaller than this get percentiles, but flagged: a rank among 3 says little. */
    public static final int SMALL_PEER_GROUP = 5;

    /**
     * Plant × month KPI values in long form (plant_id, period, peer_group, kpi, value): sums over the
     * plant's lines, then the ratios; peer group = the family of the plant's main product.
     */
    public static Dataset<Row> plantKpis(Dataset<Row> kpis, Dataset<Row> capability, Dataset<Row> exposure,
                                         Dataset<Row> measurementCounts, Dataset<Row> spotChecks, Dataset<Row> products) {
        Dataset<Row> opp = products.select("product_model", "opportunities_per_unit", "family");
        Dataset<Row> q = kpis.filter(col("period_type").equalTo("MONTH")).join(opp, new String[] {"product_model"}, "left")
                .groupBy("plant_id", "period")
                .agg(max_by(coalesce(col("family"), col("product_model")), col("units")).as("peer_group"),
                        sum("first_pass_units").divide(sum("units")).as("fpy"),
                        sum("defects").multiply(1_000_000).divide(sum(col("units").multiply(coalesce(col("opportunities_per_unit"), lit(1))))).as("dpmo"),
                        when(sum("output_value").gt(0), sum(col("internal_loss").plus(col("external_loss"))).divide(sum("output_value")).multiply(100))
                                .as("quality_loss_rate"),
                        sum(col("traceability_coverage").multiply(col("units"))).divide(sum("units")).as("traceability_coverage"));
        Dataset<Row> afr = exposure.groupBy("plant_id", "period").agg(sum("unit_days").as("unit_days"), sum("failures").as("failures"))
                .withColumn("afr_pct", FieldExposure.afr("unit_days", "failures")).select("plant_id", "period", "afr_pct");
        String[] k = {"plant_id", "period"};
        Dataset<Row> cpk = MonthlyRates.criticalCpkShare(capability, k).drop("critical_measured");
        Dataset<Row> auto = MonthlyRates.autoCollectionRate(measurementCounts, k);
        Dataset<Row> spot = MonthlyRates.spotCheckPassRate(MonthlyRates.withMonth(spotChecks), k);
        Dataset<Row> wide = q.join(afr, k, "left").join(cpk, k, "left").join(auto, k, "left").join(spot, k, "left");
        StringBuilder stack = new StringBuilder("stack(" + KPIS.size());
        KPIS.keySet().forEach(c -> stack.append(", '").append(c).append("', cast(").append(c).append(" as double)"));
        stack.append(") as (kpi, value)");
        return wide.selectExpr("plant_id", "period", "peer_group", stack.toString()).filter(col("value").isNotNull());
    }

    public static final StructType PLANT_BENCHMARKS = new StructType()
            .add("period", DataTypes.StringType).add("kpi", DataTypes.StringType).add("plant_id", DataTypes.StringType)
            .add("value", DataTypes.DoubleType).add("higher_is_better", DataTypes.BooleanType)
            .add("peer_group", DataTypes.StringType).add("peer_n", DataTypes.IntegerType)
            .add("percentile", DataTypes.DoubleType).add("robust_z", DataTypes.DoubleType)
            .add("peer_median", DataTypes.DoubleType).add("best_in_class", DataTypes.DoubleType)
            .add("gap_to_best", DataTypes.DoubleType).add("quartile", DataTypes.IntegerType)
            .add("small_peer_group", DataTypes.BooleanType);

    /** One group per period × KPI × peer group, ranked on an executor with {@link PeerStats}. */
    public static Dataset<Row> plantBenchmarks(Dataset<Row> plantKpis) {
        return plantKpis.groupByKey((MapFunction<Row, String>) r -> r.getString(r.fieldIndex("period")) + "\u0001"
                        + r.getString(r.fieldIndex("kpi")) + "\u0001" + r.getString(r.fieldIndex("peer_group")), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
                    String[] k = key.split("\u0001", -1);
                    List<Row> group = new ArrayList<>();
                    rows.forEachRemaining(group::add);
                    double[] values = group.stream().mapToDouble(r -> r.getDouble(r.fieldIndex("value"))).toArray();
                    boolean higher = KPIS.get(k[1]);
                    List<Row> out = new ArrayList<>();
                    for (Row r : group) {
                        double x = r.getDouble(r.fieldIndex("value"));
                        PeerStats.Standing s = PeerStats.of(x, values, higher);
                        out.add(RowFactory.create(k[0], k[1], r.getString(r.fieldIndex("plant_id")), x, higher, k[2], values.length,
                                s.percentile(), s.robustZ(), s.median(), s.bestInClass(), s.gapToBest(), s.quartile(),
                                values.length < SMALL_PEER_GROUP));
                    }
                    return out.iterator();
                }, Encoders.row(PLANT_BENCHMARKS));
    }

    /**
     * Per cluster and month: plants and graded lines, the unit-weighted line score, the share of
     * graded lines at AA or better, and the rank (1 = best weighted score; ties share a rank).
     */
    public static Dataset<Row> clusterRankings(Dataset<Row> lineGrades, Dataset<Row> plants, Dataset<Row> enterprises) {
        Dataset<Row> clusterOf = plants.select("plant_id", "enterprise_id")
                .join(enterprises.select("enterprise_id", "cluster_id"), new String[] {"enterprise_id"}, "left");
        Dataset<Row> graded = lineGrades.join(clusterOf, new String[] {"plant_id"}, "left")
                .withColumn("cluster_id", coalesce(col("cluster_id"), lit("UNASSIGNED")));
        Column isGraded = col("grade").notEqual("INSUFFICIENT_DATA");
        return graded.groupBy("period", "cluster_id")
                .agg(countDistinct("plant_id").as("plants"), sum(when(isGraded, 1).otherwise(0)).as("lines"),
                        sum(when(isGraded, col("score").multiply(col("units")))).divide(sum(when(isGraded, col("units")))).as("weighted_score"),
                        sum(when(isGraded.and(col("grade").isin("AAA", "AA")), 1).otherwise(0))
                                .divide(sum(when(isGraded, 1).otherwise(0))).as("share_aa_or_better"),
                        count(lit(1)).as("lines_total"))
                .withColumn("rank", when(col("weighted_score").isNotNull(),
                        dense_rank().over(Window.partitionBy("period").orderBy(col("weighted_score").desc_nulls_last()))));
    }
}
