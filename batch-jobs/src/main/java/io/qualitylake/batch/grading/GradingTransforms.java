package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.percent_rank;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.rank;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.reference.Dimension;
import io.qualitylake.grading.Rubric;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Line grades and enterprise capability levels (SPEC §5). Indicators are gathered per line × month
 * (and criteria per enterprise × month) with grouped aggregations over gold and silver; the rubric
 * and the level rules, which are pure Java, are then applied row by row.
 */
public final class GradingTransforms {
    private GradingTransforms() {}

    /** Months of the gold quality KPIs, summed per line (a line may build several models). */
    static Dataset<Row> lineKpis(Dataset<Row> kpis, Dataset<Row> products) {
        return kpis.filter(col("period_type").equalTo("MONTH"))
                .join(products.select("product_model", "opportunities_per_unit"), new String[] {"product_model"}, "left")
                .withColumn("opp", coalesce(col("opportunities_per_unit"), lit(Dimension.DEFAULT_OPPORTUNITIES)))
                .groupBy("plant_id", "line_id", "period")
                .agg(max_by(col("product_model"), col("units")).as("product_model"), sum("units").as("units"),
                        sum("first_pass_units").as("first_pass_units"), sum("defects").as("defects"),
                        sum(col("units").multiply(col("opp"))).as("opportunities"),
                        sum(col("internal_loss").plus(col("external_loss"))).as("loss"), sum("output_value").as("output_value"),
                        sum(col("traceability_coverage").multiply(col("units"))).as("traced_units"));
    }

    /**
     * Per line × month: units, the five rubric indicators over their trailing windows (with the
     * windowed counts behind them, see {@link LineEvidence}), the peer group (product family) and
     * whether the plant failed a gate check (e.g. a REGULATOR spot check) in the gate window.
     */
    public static Dataset<Row> lineIndicators(Dataset<Row> kpis, Dataset<Row> capability, Dataset<Row> exposure,
                                              Dataset<Row> spotChecks, Dataset<Row> products, Dataset<Row> lossSquares, Rubric rubric) {
        Dataset<Row> family = products.select(col("product_model"), col("family"));
        Dataset<Row> base = lineKpis(kpis, products)
                .join(family, new String[] {"product_model"}, "left")
                .withColumn("peer_group", coalesce(col("family"), col("product_model")))
                .drop("family", "traced_units");
        Dataset<Row> withAfr = LineEvidence.values(LineEvidence.windowed(base, exposure, capability, lossSquares, rubric.stability()))
                .withColumn("peer_median_afr", percentile_approx(col("afr"), lit(0.5), lit(10_000))
                        .over(Window.partitionBy("period", "peer_group")))
                .withColumn("afr_ratio", when(col("peer_median_afr").gt(0), col("afr").divide(col("peer_median_afr"))));
        return withAfr.join(gate(spotChecks, withAfr.select("plant_id", "period").distinct(), rubric),
                        new String[] {"plant_id", "period"}, "left")
                .withColumn("gate_failures", coalesce(col("gate_failures"), lit(0L)));
    }

    /** Failed gate checks per plant in the window of {@code months} months ending with each period. */
    static Dataset<Row> gate(Dataset<Row> spotChecks, Dataset<Row> plantPeriods, Rubric rubric) {
        if (rubric.gate() == null) {
            return plantPeriods.withColumn("gate_failures", lit(0L)).limit(0);
        }
        Dataset<Row> failed = spotChecks.filter(col("checker").equalTo(rubric.gate().checker()).and(col("passed").equalTo(false)))
                .select(col("plant_id"), col("event_time").as("failed_at"));
        Column monthStart = org.apache.spark.sql.functions.to_date(org.apache.spark.sql.functions.concat(col("period"), lit("-01")));
        Column windowEnd = org.apache.spark.sql.functions.add_months(monthStart, 1).cast("timestamp");
        Column windowStart = org.apache.spark.sql.functions.add_months(monthStart, 1 - rubric.gate().months()).cast("timestamp");
        return plantPeriods.join(failed, plantPeriods.col("plant_id").equalTo(failed.col("plant_id"))
                        .and(failed.col("failed_at").geq(windowStart)).and(failed.col("failed_at").lt(windowEnd)))
                .groupBy(plantPeriods.col("plant_id"), col("period")).agg(count(lit(1)).as("gate_failures"));
    }

    public static final StructType LINE_GRADES = new StructType()
            .add("period", DataTypes.StringType).add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("product_model", DataTypes.StringType).add("peer_group", DataTypes.StringType).add("units", DataTypes.LongType)
            .add("fpy", DataTypes.DoubleType).add("critical_cpk_share", DataTypes.DoubleType).add("dpmo", DataTypes.DoubleType)
            .add("afr_pct", DataTypes.DoubleType).add("afr_ratio", DataTypes.DoubleType).add("quality_loss_rate", DataTypes.DoubleType)
            .add("fpy_score", DataTypes.DoubleType).add("critical_cpk_share_score", DataTypes.DoubleType)
            .add("dpmo_score", DataTypes.DoubleType).add("afr_ratio_score", DataTypes.DoubleType)
            .add("quality_loss_rate_score", DataTypes.DoubleType).add("weights", DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType))
            .add("missing_indicators", DataTypes.IntegerType).add("score", DataTypes.DoubleType).add("grade", DataTypes.StringType)
            .add("gate_failed", DataTypes.BooleanType).add("capped_by_gate", DataTypes.BooleanType)
            .add("gate_note", DataTypes.StringType).add("method", DataTypes.StringType).add("rubric", DataTypes.StringType)
            .add("fpy_lo", DataTypes.DoubleType).add("fpy_hi", DataTypes.DoubleType)
            .add("critical_cpk_share_lo", DataTypes.DoubleType).add("critical_cpk_share_hi", DataTypes.DoubleType)
            .add("dpmo_lo", DataTypes.DoubleType).add("dpmo_hi", DataTypes.DoubleType)
            .add("afr_ratio_lo", DataTypes.DoubleType).add("afr_ratio_hi", DataTypes.DoubleType)
            .add("quality_loss_rate_lo", DataTypes.DoubleType).add("quality_loss_rate_hi", DataTypes.DoubleType)
            .add("score_lo", DataTypes.DoubleType).add("score_hi", DataTypes.DoubleType)
            .add("grade_confidence", DataTypes.DoubleType).add("rank_lo", DataTypes.IntegerType).add("rank_hi", DataTypes.IntegerType)
            .add("indicator_windows", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
            .add("shrinkage", DataTypes.StringType);

    private static Map<String, Double> values(Row r) {
        Map<String, Double> v = new LinkedHashMap<>();
        for (String i : Rubric.KNOWN) {
            String c = i.equals("afr_ratio") ? "afr_ratio" : i;
            v.put(i, r.isNullAt(r.fieldIndex(c)) ? null : r.getDouble(r.fieldIndex(c)));
        }
        return v;
    }

    private static Row gradeRow(Row r, Map<String, Double> scores, Double score, String grade, boolean capped, int missing,
                                String method, Rubric rubric, Map<String, Double> weights) {
        return gradeRow(r, scores, score, grade, capped, missing, method, rubric, weights, null);
    }

    /** @param c the rubric method's confidence (its values replace the row's when shrinkage moved them); null for TOPSIS */
    private static Row gradeRow(Row r, Map<String, Double> scores, Double score, String grade, boolean capped, int missing,
                                String method, Rubric rubric, Map<String, Double> weights, LineGrader.Confidence c) {
        boolean gateFailed = r.getLong(r.fieldIndex("gate_failures")) > 0;
        String note = !gateFailed ? null : capped
                ? "plant failed " + rubric.gate().checker() + " spot check(s) in the last " + rubric.gate().months()
                        + " months: grade capped at " + rubric.gate().maxGrade()
                : "plant failed " + rubric.gate().checker() + " spot check(s) in the last " + rubric.gate().months()
                        + " months (grade already at or below " + rubric.gate().maxGrade() + ")";
        Map<String, Double> v = c == null ? values(r) : LineGrader.asMap(c.values());
        Object[] extra = new Object[17];
        if (c != null) {
            for (int i = 0; i < 5; i++) {
                double[] ci = c.intervals()[i];
                extra[2 * i] = ci == null ? null : ci[0];
                extra[2 * i + 1] = ci == null ? null : ci[1];
            }
            extra[10] = c.scoreLo();
            extra[11] = c.scoreHi();
            extra[12] = c.gradeConfidence();
            extra[13] = c.rankLo();
            extra[14] = c.rankHi();
        }
        extra[15] = scala.collection.JavaConverters.mapAsScalaMapConverter(new LinkedHashMap<>(rubric.stability().windowMonths())).asScala();
        extra[16] = rubric.stability().shrinkage();
        Object[] head = {r.getString(r.fieldIndex("period")), r.getString(r.fieldIndex("plant_id")),
                r.getString(r.fieldIndex("line_id")), r.getString(r.fieldIndex("product_model")),
                r.getString(r.fieldIndex("peer_group")), r.getLong(r.fieldIndex("units")), v.get("fpy"),
                v.get("critical_cpk_share"), v.get("dpmo"), r.isNullAt(r.fieldIndex("afr")) ? null : r.getDouble(r.fieldIndex("afr")),
                v.get("afr_ratio"), v.get("quality_loss_rate"), scores.get("fpy"), scores.get("critical_cpk_share"),
                scores.get("dpmo"), scores.get("afr_ratio"), scores.get("quality_loss_rate"),
                scala.collection.JavaConverters.mapAsScalaMapConverter(weights).asScala(),
                missing, score, grade, gateFailed, capped, note, method, rubric.name()};
        Object[] all = java.util.Arrays.copyOf(head, head.length + extra.length);
        System.arraycopy(extra, 0, all, head.length, extra.length);
        return RowFactory.create(all);
    }

    /**
     * The rubric method: weighted anchor scores, bands, minimum evidence, entry gate; per period ×
     * peer group (optional shrinkage and the rank draws need the group), with each grade's confidence.
     */
    public static Dataset<Row> rubricGrades(Dataset<Row> indicators, Rubric rubric) {
        Map<String, Double> weights = new LinkedHashMap<>();
        rubric.indicators().forEach(i -> weights.put(i.id(), i.weight()));
        Dataset<Row> graded = indicators.groupByKey((MapFunction<Row, String>) r -> r.getString(r.fieldIndex("period")) + "|"
                        + r.getString(r.fieldIndex("peer_group")), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
                    List<Row> all = new ArrayList<>();
                    rows.forEachRemaining(all::add);
                    List<Row> out = new ArrayList<>();
                    for (Map.Entry<Row, Map.Entry<Rubric.Graded, LineGrader.Confidence>> e : LineGrader.grade(all, rubric)) {
                        Rubric.Graded g = e.getValue().getKey();
                        out.add(gradeRow(e.getKey(), g.scores(), g.score(), g.grade(), g.capped(), g.missing(), "RUBRIC", rubric,
                                weights, e.getValue().getValue()));
                    }
                    return out.iterator();
                }, Encoders.row(LINE_GRADES));
        return withRank(graded);
    }

    /**
     * Entropy-weight TOPSIS per month over every line with all the rubric's indicators and enough
     * units; closeness × 100 is the score, graded with the rubric's bands and gate.
     */
    public static Dataset<Row> topsisGrades(Dataset<Row> indicators, Rubric rubric) {
        Dataset<Row> graded = indicators.groupByKey((MapFunction<Row, String>) r -> r.getString(r.fieldIndex("period")), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (period, rows) -> topsisMonth(rows, rubric),
                        Encoders.row(LINE_GRADES));
        return withRank(graded);
    }

    private static Iterator<Row> topsisMonth(Iterator<Row> rows, Rubric rubric) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        List<Rubric.Indicator> ind = rubric.indicators();
        List<Row> complete = new ArrayList<>();
        for (Row r : all) {
            Map<String, Double> v = values(r);
            boolean ok = r.getLong(r.fieldIndex("units")) >= rubric.minUnits() && ind.stream().allMatch(i -> v.get(i.id()) != null);
            if (ok) {
                complete.add(r);
            }
        }
        List<Row> out = new ArrayList<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        if (complete.size() >= 2) {
            double[][] x = new double[complete.size()][ind.size()];
            boolean[] benefit = new boolean[ind.size()];
            for (int j = 0; j < ind.size(); j++) {
                benefit[j] = !ind.get(j).smallerIsBetter();
                for (int i = 0; i < complete.size(); i++) {
                    x[i][j] = values(complete.get(i)).get(ind.get(j).id());
                }
            }
            Topsis.Result t = Topsis.rank(x, benefit);
            for (int j = 0; j < ind.size(); j++) {
                weights.put(ind.get(j).id(), t.weights()[j]);
            }
            for (int i = 0; i < complete.size(); i++) {
                Row r = complete.get(i);
                double score = 100 * t.closeness()[i];
                String grade = rubric.band(score);
                boolean gateHit = r.getLong(r.fieldIndex("gate_failures")) > 0;
                boolean capped = gateHit && rubric.gate() != null && rubric.rank(grade) < rubric.rank(rubric.gate().maxGrade());
                out.add(gradeRow(r, new LinkedHashMap<>(), score, capped ? rubric.gate().maxGrade() : grade, capped, 0,
                        "TOPSIS_ENTROPY", rubric, weights));
            }
        }
        for (Row r : all) {
            if (!complete.contains(r) || complete.size() < 2) {
                out.add(gradeRow(r, new LinkedHashMap<>(), null, Rubric.INSUFFICIENT, false,
                        (int) ind.stream().filter(i -> values(r).get(i.id()) == null).count(), "TOPSIS_ENTROPY", rubric, weights));
            }
        }
        return out.iterator();
    }

    /** rank_in_peer: 1 = best score among the graded lines of the same peer group and month. */
    static Dataset<Row> withRank(Dataset<Row> graded) {
        Column gradedLine = col("grade").notEqual(Rubric.INSUFFICIENT);
        return graded.withColumn("rank_in_peer", when(gradedLine,
                rank().over(Window.partitionBy(col("period"), col("peer_group"), gradedLine).orderBy(col("score").desc(), col("line_id")))));
    }

    // ---- enterprise capability ----

    /**
     * Per enterprise × month, the value of every criterion {@link CapabilityLevels} knows, for the months
     * {@code periods} accepts (a filter on a yyyy-MM {@code period} column; {@code lit(true)} for all). Plants map
     * to enterprises through silver.dim_plants (a plant without one is its own enterprise). Each month's
     * criteria depend on that month alone, so each criterion is filtered before the joins: the filter then reaches
     * its inputs (a one-month run no longer computes every month's criteria and drops all but one).
     */
    public static Dataset<Row> enterpriseCriteria(Dataset<Row> units, Dataset<Row> installs, Dataset<Row> defects,
                                                  Dataset<Row> measurementCounts, Dataset<Row> spotChecks, Dataset<Row> kpis,
                                                  Dataset<Row> capability, Dataset<Row> violations, Dataset<Row> exposure,
                                                  Dataset<Row> failures, java.sql.Timestamp end,
                                                  Dataset<Row> plants, Dataset<Row> enterprises, Column periods) {
        Dataset<Row> ent = plants.select("plant_id", "enterprise_id");
        java.util.function.Function<Dataset<Row>, Dataset<Row>> toEnterprise = d -> d.join(ent, new String[] {"plant_id"}, "left")
                .withColumn("enterprise_id", coalesce(col("enterprise_id"), col("plant_id")));
        String[] k = {"enterprise_id", "period"};
        Column month = date_format(col("event_time"), "yyyy-MM");

        // whether each install's unit has a production record: the units are probed with the installs' serials (a
        // month's: a few thousand, broadcast), not sorted against them (a one-month run sorted every unit ever built)
        Dataset<Row> installed = installs.withColumn("period", month).filter(periods);
        Dataset<Row> recorded = units.select("serial_no").join(installed.select("serial_no"), new String[] {"serial_no"}, "left_semi")
                .distinct().withColumn("recorded", lit(1));
        Dataset<Row> inst = toEnterprise.apply(installed.join(recorded, new String[] {"serial_no"}, "left"))
                .groupBy("enterprise_id", "period")
                .agg(count(col("recorded")).divide(count(lit(1))).as("installed_with_production_record"), count(lit(1)).as("installs_n"));
        Dataset<Row> coded = defects.select("serial_no").distinct().withColumn("coded", lit(1));
        Dataset<Row> nfp = toEnterprise.apply(units.filter(col("result").notEqual("PASS").or(col("rework_count").gt(0)))
                        .withColumn("period", month).join(coded, new String[] {"serial_no"}, "left"))
                .groupBy("enterprise_id", "period")
                .agg(count(col("coded")).divide(count(lit(1))).as("nonfirstpass_with_coded_defect"), count(lit(1)).as("nonfirstpass_n"));
        Dataset<Row> linesBuilding = toEnterprise.apply(units.withColumn("period", month))
                .groupBy("enterprise_id", "period").agg(countDistinct("line_id").as("lines"));
        Dataset<Row> linesCritical = toEnterprise.apply(capability.filter(col("period_type").equalTo("MONTH").and(col("critical"))))
                .groupBy("enterprise_id", "period").agg(countDistinct("line_id").as("lines_critical"));
        Dataset<Row> kp = toEnterprise.apply(kpis.filter(col("period_type").equalTo("MONTH")))
                .groupBy("enterprise_id", "period")
                .agg(sum(col("traceability_coverage").multiply(col("units"))).divide(sum("units")).as("traceability_coverage"),
                        sum("first_pass_units").divide(sum("units")).as("fpy"), sum("units").as("units"));
        // EXCELLENCE's loss criteria at equal maturity (internal + claims within 90 days of build)
        Dataset<Row> loss = LossMaturity.enterpriseMonths(kpis, units, failures, end, toEnterprise::apply);
        Dataset<Row> spot = MonthlyRates.spotCheckPassRateAndCount(toEnterprise.apply(MonthlyRates.withMonth(spotChecks)), k);
        Dataset<Row> auto = MonthlyRates.autoCollectionRateAndCount(toEnterprise.apply(measurementCounts), k);
        Dataset<Row> cpk = MonthlyRates.criticalCpkShare(toEnterprise.apply(capability), k);
        Dataset<Row> subgroups = toEnterprise.apply(capability.filter(col("period_type").equalTo("MONTH")))
                .groupBy("enterprise_id", "period").agg(sum("subgroups").as("subgroups"));
        Dataset<Row> n1 = toEnterprise.apply(violations.filter(col("rule").equalTo("NELSON_1"))
                        .withColumn("period", date_format(col("subgroup_time"), "yyyy-MM")))
                .groupBy("enterprise_id", "period").agg(countDistinct("characteristic_id", "subgroup_id").as("nelson1_subgroups"));
        Dataset<Row> afr = toEnterprise.apply(exposure).groupBy("enterprise_id", "period")
                .agg(sum("unit_days").as("unit_days"), sum("failures").as("failures"))
                .withColumn("afr", FieldExposure.afr("unit_days", "failures"));

        java.util.function.Function<Dataset<Row>, Dataset<Row>> in = d -> d.filter(periods);
        Dataset<Row> all = in.apply(linesBuilding).join(in.apply(inst), k, "full_outer").join(in.apply(nfp), k, "left")
                .join(in.apply(linesCritical), k, "left").join(in.apply(kp), k, "left").join(in.apply(loss), k, "left")
                .join(in.apply(spot), k, "left").join(in.apply(auto), k, "left").join(in.apply(cpk), k, "left")
                .join(in.apply(subgroups), k, "left").join(in.apply(n1), k, "left").join(in.apply(afr), k, "left");
        org.apache.spark.sql.expressions.WindowSpec month1 = Window.partitionBy("period");
        return all
                .withColumn("lines_measuring_critical", when(col("lines").gt(0), coalesce(col("lines_critical"), lit(0L)).divide(col("lines"))))
                .withColumn("nelson1_subgroup_share", when(col("subgroups").gt(0), coalesce(col("nelson1_subgroups"), lit(0L)).divide(col("subgroups"))))
                .withColumn("afr_peer_median", percentile_approx(col("afr"), lit(0.5), lit(10_000)).over(month1))
                .withColumn("afr_vs_peer_median", when(col("afr_peer_median").gt(0), col("afr").divide(col("afr_peer_median")))
                        .when(col("afr_peer_median").equalTo(0).and(col("afr").equalTo(0)), lit(1.0)))
                .withColumn("fpy_percentile", when(col("fpy").isNotNull(), percent_rank().over(month1.orderBy(col("fpy").asc_nulls_first()))))
                .withColumn("afr_percentile", when(col("afr").isNotNull(), percent_rank().over(month1.orderBy(col("afr").desc_nulls_first()))))
                .join(enterprises.select("enterprise_id", "cluster_id"), new String[] {"enterprise_id"}, "left");
    }

    private static final StructType CRITERION = new StructType().add("level", DataTypes.StringType)
            .add("criterion", DataTypes.StringType).add("value", DataTypes.DoubleType).add("threshold", DataTypes.DoubleType)
            .add("comparison", DataTypes.StringType).add("met", DataTypes.BooleanType).add("note", DataTypes.StringType)
            .add("lo", DataTypes.DoubleType).add("hi", DataTypes.DoubleType).add("met_with_confidence", DataTypes.BooleanType);

    public static final StructType ENTERPRISE_CAPABILITY = new StructType()
            .add("period", DataTypes.StringType).add("enterprise_id", DataTypes.StringType).add("cluster_id", DataTypes.StringType)
            .add("level", DataTypes.StringType).add("level_cn", DataTypes.StringType)
            .add("criteria", new ArrayType(CRITERION, false)).add("next_level_gaps", new ArrayType(DataTypes.StringType, false))
            .add("provisional", DataTypes.BooleanType).add("provisional_reasons", new ArrayType(DataTypes.StringType, false));

    public static Dataset<Row> enterpriseLevels(Dataset<Row> criteria, CapabilityLevels levels) {
        return criteria.map((MapFunction<Row, Row>) r -> {
            Map<String, Double> v = new LinkedHashMap<>();
            for (String c : CapabilityLevels.KNOWN) {
                int i = r.fieldIndex(c);
                v.put(c, r.isNullAt(i) ? null : ((Number) r.get(i)).doubleValue());
            }
            long built = r.isNullAt(r.fieldIndex("units")) ? 0 : r.getLong(r.fieldIndex("units"));
            CapabilityLevels.Result res = built < levels.minUnits() ? levels.insufficient(built)
                    : levels.evaluate(CriterionIntervals.evidence(r, v));
            List<Row> crit = new ArrayList<>();
            for (CapabilityLevels.Outcome o : res.criteria()) {
                crit.add(RowFactory.create(o.level(), o.criterion(), o.value(), o.threshold(), o.comparison(), o.met(), o.note(),
                        o.lo(), o.hi(), o.metWithConfidence()));
            }
            return RowFactory.create(r.getString(r.fieldIndex("period")), r.getString(r.fieldIndex("enterprise_id")),
                    r.isNullAt(r.fieldIndex("cluster_id")) ? null : r.getString(r.fieldIndex("cluster_id")),
                    res.level(), res.levelCn(), scala.collection.JavaConverters.asScalaBuffer(crit).toSeq(),
                    scala.collection.JavaConverters.asScalaBuffer(res.nextLevelGaps()).toSeq(), res.provisional(),
                    scala.collection.JavaConverters.asScalaBuffer(res.provisionalReasons()).toSeq());
        }, Encoders.row(ENTERPRISE_CAPABILITY));
    }
}
