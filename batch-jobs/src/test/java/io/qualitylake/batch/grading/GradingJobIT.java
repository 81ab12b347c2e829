package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import io.qualitylake.grading.Rubric;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The grading job on the planted 4-enterprise world: grades follow planted quality, levels the planted profiles. */
class GradingJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static GradingWorld world;

    @BeforeAll
    static void run() throws Exception {
        world = GradingWorld.get();
        BatchTestSupport.run(SPARK, new GradingJob(), world.lake, world.asOf, null);
    }

    /** Mean monthly score per line (graded months only). */
    static Map<String, Double> meanScores(String table) {
        Map<String, Double> score = new HashMap<>();
        for (Row r : BatchTestSupport.table(SPARK, world.lake, table).filter("grade != 'INSUFFICIENT_DATA'")
                .groupBy("line_id").agg(avg("score")).collectAsList()) {
            score.put(r.getString(0), r.getDouble(1));
        }
        return score;
    }

    @SuppressWarnings("unchecked")
    static boolean carriesBadLot(Map<String, Object> line) {
        Map<String, Object> bad = (Map<String, Object>) world.truth.get("bad_lot");
        return line.get("plant_id").equals(bad.get("plant_id")) && line.get("product_model").equals(bad.get("product_model"));
    }

    /**
     * SPEC §6: true_quality is the hidden driver of a line's grade. The one line building with the
     * planted bad supplier lot has a second, independent planted cause (early-life field failures),
     * so it is left out of the rank correlation and checked on its own: its field AFR must pull it
     * below its sibling line, whose planted quality is lower.
     */
    @Test
    void lineScoresFollowPlantedQuality() {
        Map<String, Double> score = meanScores("gold.line_grades");
        List<Map<String, Object>> lines = world.truthList("lines").stream().filter(l -> !carriesBadLot(l)).toList();
        assertEquals(15, lines.size());
        double[] planted = new double[lines.size()];
        double[] scored = new double[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            planted[i] = ((Number) lines.get(i).get("true_quality")).doubleValue();
            scored[i] = score.get(lines.get(i).get("line_id").toString());
        }
        double rho = new SpearmansCorrelation().correlation(planted, scored);
        assertTrue(rho >= 0.9, "Spearman " + rho + " " + score);

        Map<String, Object> bad = world.truthList("lines").stream().filter(GradingJobIT::carriesBadLot).findFirst().orElseThrow();
        String sibling = bad.get("plant_id") + "-L2";
        assertTrue(score.get(bad.get("line_id").toString()) < score.get(sibling) - 10,
                "bad-lot line " + score.get(bad.get("line_id").toString()) + " vs sibling " + score.get(sibling));
    }

    @Test
    void enterpriseLevelsMatchThePlantedProfilesEveryMonth() {
        Dataset<Row> levels = BatchTestSupport.table(SPARK, world.lake, "gold.enterprise_capability");
        for (Map<String, Object> e : world.truthList("enterprises")) {
            List<Row> months = levels.filter(col("enterprise_id").equalTo(e.get("enterprise_id"))).collectAsList();
            assertEquals(5, months.size(), "January to May");
            for (Row m : months) {
                assertEquals(e.get("expected_level"), m.getAs("level"), m.getAs("period") + " " + m.getAs("next_level_gaps"));
            }
        }
        Row prevention = levels.filter("level = 'PREVENTION' AND period = '2025-03'").head();
        assertEquals("预防级", prevention.getAs("level_cn"));
        List<String> gaps = prevention.getList(prevention.fieldIndex("next_level_gaps"));
        // 13 critical characteristics (6 per plant, plus the planted lognormal runout at P01, capable),
        // one per plant planted at Cpk 1.15: 11/13 = 0.846
        assertTrue(gaps.stream().anyMatch(g -> g.startsWith("critical_cpk_share is 0.84")), gaps.toString());
        assertEquals(13, prevention.getList(prevention.fieldIndex("criteria")).size(), "every criterion of every level reported");
    }

    @Test
    void gradesAreConsistentWithScoresBandsAndTheGate() {
        Dataset<Row> g = BatchTestSupport.table(SPARK, world.lake, "gold.line_grades");
        assertEquals(16 * 5, g.count(), "16 lines x 5 months");
        assertEquals(0, g.filter("grade = 'AAA' AND score < 90 OR grade = 'C' AND score >= 60 AND NOT capped_by_gate").count());
        assertEquals(0, g.filter("units < 500 AND grade != 'INSUFFICIENT_DATA'").count());
        assertEquals(0, g.filter("capped_by_gate AND grade != 'A'").count());
        @SuppressWarnings("unchecked")
        String gatePlant = ((Map<String, Object>) world.truth.get("regulator_failure")).get("plant_id").toString();
        assertTrue(g.filter(col("plant_id").equalTo(gatePlant)).filter("gate_failed").count() >= 1, "regulator failure seen");
        assertEquals(0, g.filter(col("plant_id").notEqual(gatePlant)).filter("gate_failed").count());
        assertEquals(g.filter("grade != 'INSUFFICIENT_DATA'").count(), g.filter("rank_in_peer IS NOT NULL").count());
    }

    @Test
    void topsisRanksLinesLikeTheRubric() throws Exception {
        java.nio.file.Path other = java.nio.file.Files.createTempDirectory("qlake-topsis");
        // same inputs, second method: write to a copy of the lake so the rubric slice stays
        org.apache.commons.io.FileUtils.copyDirectory(world.lake.toFile(), other.toFile());
        io.qualitylake.batch.job.JobContext ctx = new io.qualitylake.batch.job.JobContext(
                io.qualitylake.batch.lake.Lake.at(other.toString()), world.asOf, null, Map.of(GradingJob.METHOD_OPTION, "topsis"));
        new io.qualitylake.batch.job.JobRunner(SPARK).run(new GradingJob(), ctx, "grading --method topsis");
        Dataset<Row> t = BatchTestSupport.spark().read().format("delta").load(other.resolve("gold/line_grades").toString());
        assertEquals(0, t.filter("method != 'TOPSIS_ENTROPY'").count());
        assertEquals(0, t.filter("score < 0 OR score > 100").count());
        Map<String, Double> rubric = meanScores("gold.line_grades");
        Map<String, Double> topsis = new HashMap<>();
        for (Row r : t.filter("grade != 'INSUFFICIENT_DATA'").groupBy("line_id").agg(avg("score")).collectAsList()) {
            topsis.put(r.getString(0), r.getDouble(1));
        }
        double[] a = rubric.keySet().stream().filter(topsis::containsKey).mapToDouble(rubric::get).toArray();
        double[] b = rubric.keySet().stream().filter(topsis::containsKey).mapToDouble(topsis::get).toArray();
        assertTrue(a.length >= 12, "most lines graded by both methods");
        double rho = new SpearmansCorrelation().correlation(a, b);
        assertTrue(rho >= 0.8, "the two methods broadly agree: Spearman " + rho);
    }

    /** Issue 18: every graded row says how sure it is; INSUFFICIENT_DATA rows get no interval. */
    @Test
    void gradedRowsCarryTheirUncertainty() {
        Dataset<Row> g = BatchTestSupport.table(SPARK, world.lake, "gold.line_grades");
        Dataset<Row> graded = g.filter("grade != 'INSUFFICIENT_DATA'");
        assertTrue(graded.count() >= 60, "most line-months graded");
        assertEquals(0, graded.filter("score_lo IS NULL OR score_hi IS NULL OR grade_confidence IS NULL OR rank_lo IS NULL "
                + "OR fpy_lo IS NULL OR dpmo_lo IS NULL").count());
        assertEquals(0, graded.filter("NOT (score_lo <= score AND score <= score_hi AND rank_lo <= rank_in_peer AND rank_in_peer <= rank_hi "
                + "AND fpy_lo <= fpy AND fpy <= fpy_hi AND dpmo_lo <= dpmo AND dpmo <= dpmo_hi "
                + "AND grade_confidence >= 0 AND grade_confidence <= 1)").count());
        assertEquals(0, g.filter("grade = 'INSUFFICIENT_DATA' AND (score_lo IS NOT NULL OR grade_confidence IS NOT NULL)").count());
        // the published score is reproducible from the row: sum of weight x indicator score over indicators with data
        for (Row r : graded.collectAsList()) {
            Map<String, Double> w = scala.collection.JavaConverters.mapAsJavaMapConverter(r.<scala.collection.Map<String, Double>>getAs("weights")).asJava();
            double num = 0;
            double den = 0;
            for (String i : Rubric.KNOWN) {
                Object s = r.getAs(i + "_score");
                if (s != null) {
                    num += w.get(i) * (Double) s;
                    den += w.get(i);
                }
            }
            assertEquals(r.<Double>getAs("score"), num / den, 1e-9, r.toString());
        }
        Row one = graded.head();
        assertEquals(3, (int) scala.collection.JavaConverters.mapAsJavaMapConverter(
                one.<scala.collection.Map<String, Integer>>getAs("indicator_windows")).asJava().get("afr_ratio"));
    }

    /**
     * Issue 18 item 3, on this world (8 plants x 150 days, 24 units a line and day, 3 subgroups of 5 a
     * characteristic and day; complete months January to April, the bad-lot line left out): the
     * published grades against the planted truth, truth.json line_months (expected indicators under the
     * planted parameters, scored by the same rubric). The bars are the issue's, unrelaxed: the world is
     * seeded and the bootstrap is seeded by line and month, so the figures are fixed (measured: Spearman
     * 0.968 0.907 0.939 0.954, coverage 57/60 = 0.95, agreement 27/30 = 0.90); a change that moves
     * them below a bar is a real regression of how well grades recover the planted truth.
     */
    @Test
    void gradesRecoverThePlantedTrueScores() {
        PlantedGrades.Figures f = PlantedGrades.compare(BatchTestSupport.table(SPARK, world.lake, "gold.line_grades"),
                world.truth, Rubric.defaults());
        System.out.println("planted truth, grading world: " + f);
        assertEquals(4, f.spearman().size(), "January to April");
        assertTrue(f.minSpearman() >= 0.85, f.toString());
        assertTrue(f.coverage() >= 0.90, f.toString());
        assertTrue(f.agreement() >= 0.80, f.toString());
    }

    /**
     * Issue 15 item 4: the world ends 2025-05-30, so January and February are mature (February ended
     * 2025-03-01, mature from as_of 2025-05-29) and March to May are pending: met = null with a note.
     */
    @Test
    void theLossCriterionWaitsForMaturity() {
        Dataset<Row> c = BatchTestSupport.table(SPARK, world.lake, "gold.enterprise_capability")
                .selectExpr("period", "enterprise_id", "provisional", "explode(criteria) AS c")
                .filter("c.criterion = 'quality_loss_rate_change'");
        assertEquals(0, c.filter("period IN ('2025-03', '2025-04', '2025-05') AND (c.met IS NOT NULL OR c.note NOT LIKE 'loss of the period%')").count());
        assertEquals(0, c.filter("period = '2025-02' AND c.met IS NULL").count(), "February is judged");
        assertTrue(c.filter("period = '2025-02'").count() >= 4);
        Dataset<Row> spot = BatchTestSupport.table(SPARK, world.lake, "gold.enterprise_capability")
                .selectExpr("explode(criteria) AS c").filter("c.criterion = 'spot_check_pass_rate' AND c.value IS NOT NULL");
        assertEquals(0, spot.filter("c.lo IS NULL OR c.lo > c.value OR c.hi < c.value OR c.met_with_confidence IS NULL").count());
    }
}
