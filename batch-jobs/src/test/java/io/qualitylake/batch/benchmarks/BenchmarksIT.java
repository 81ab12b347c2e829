package io.qualitylake.batch.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.grading.GradingJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BenchmarksIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    /**
     * Hand-computed, five plants' FPY 0.90, 0.92, 0.95, 0.96, 0.99: median 0.95; |x − 0.95| = 0.05,
     * 0.03, 0, 0.01, 0.04 → MAD 0.03; for 0.92: robust z = −0.03/(1.4826·0.03) = −0.674491;
     * better than 1 of the 4 others → percentile 25, quartile 3; best-in-class = type-7 P90 =
     * 0.96 + 0.6·(0.99 − 0.96) = 0.978; gap (0.978 − 0.92)/0.978 = 0.059305.
     */
    @Test
    void handComputedStanding() {
        double[] fpy = {0.90, 0.92, 0.95, 0.96, 0.99};
        PeerStats.Standing s = PeerStats.of(0.92, fpy, true);
        assertEquals(0.95, s.median(), 1e-12);
        assertEquals(-0.674491, s.robustZ(), 1e-6);
        assertEquals(25, s.percentile(), 1e-12);
        assertEquals(3, s.quartile());
        assertEquals(0.978, s.bestInClass(), 1e-12);
        assertEquals(0.059305, s.gapToBest(), 1e-6);
        assertEquals(100, PeerStats.of(0.99, fpy, true).percentile(), 1e-12);
        assertEquals(1, PeerStats.of(0.99, fpy, true).quartile());
        // lower is better (AFR): the smallest value is best; best-in-class is the 10th percentile
        double[] afr = {1.0, 2.0, 3.0, 4.0, 5.0};
        PeerStats.Standing low = PeerStats.of(1.0, afr, false);
        assertEquals(100, low.percentile(), 1e-12);
        assertEquals(1.4, low.bestInClass(), 1e-12);
        assertEquals((1.0 - 1.4) / 1.4, low.gapToBest(), 1e-12, "ahead of best-in-class: negative gap");
        assertNull(PeerStats.of(2, new double[] {2, 2, 2}, true).robustZ(), "MAD 0: no robust z");
        assertEquals(50, PeerStats.of(2, new double[] {2, 2, 2}, true).percentile(), 1e-12, "all tied: the middle");
        assertEquals(100, PeerStats.of(7, new double[] {7}, true).percentile(), "alone in its group");
    }

    @Test
    void plantBenchmarksAndClusterRankingsOnThePlantedWorld() throws Exception {
        GradingWorld world = GradingWorld.get();
        BatchTestSupport.run(SPARK, new GradingJob(), world.lake, world.asOf, null);
        BatchTestSupport.run(SPARK, new BenchmarksJob(), world.lake, world.asOf, null);
        Dataset<Row> b = BatchTestSupport.table(SPARK, world.lake, "gold.plant_benchmarks");
        assertEquals(0, b.filter("percentile < 0 OR percentile > 100 OR quartile < 1 OR quartile > 4").count());
        // every plant has every production KPI in every month
        assertEquals(8 * 5, b.filter("kpi = 'fpy'").count());
        // the planted best plant (P01, PREVENTION) beats the planted worst (P08, EXPERIENCE) on FPY each month
        List<Row> fpy = b.filter("kpi = 'fpy' AND plant_id IN ('P01', 'P08')").orderBy("period", "plant_id").collectAsList();
        for (int i = 0; i < fpy.size(); i += 2) {
            assertTrue(fpy.get(i).<Double>getAs("percentile") > fpy.get(i + 1).<Double>getAs("percentile"), fpy.get(i) + " vs " + fpy.get(i + 1));
        }
        assertEquals(b.filter("peer_n < 5").count(), b.filter("small_peer_group").count());

        Dataset<Row> c = BatchTestSupport.table(SPARK, world.lake, "gold.cluster_rankings");
        Row may = c.filter("period = '2025-05'").agg(org.apache.spark.sql.functions.sum("plants"),
                org.apache.spark.sql.functions.sum("lines_total")).head();
        assertEquals(8, may.getLong(0), "every plant in exactly one cluster");
        assertEquals(16, may.getLong(1));
        assertEquals(2, c.filter("period = '2025-05'").count(), "two planted clusters");
        assertEquals(1, c.filter("period = '2025-05' AND rank = 1").count());
        // the unit-weighted score equals the mean over the cluster's graded line grades by units
        Dataset<Row> g = BatchTestSupport.table(SPARK, world.lake, "gold.line_grades").filter("period = '2025-05' AND grade != 'INSUFFICIENT_DATA'");
        Dataset<Row> clusterOf = BatchTestSupport.table(SPARK, world.lake, "silver.dim_plants")
                .join(BatchTestSupport.table(SPARK, world.lake, "silver.dim_enterprises"), "enterprise_id").select("plant_id", "cluster_id");
        for (Row r : c.filter("period = '2025-05'").collectAsList()) {
            Row expected = g.join(clusterOf, "plant_id").filter(col("cluster_id").equalTo(r.getAs("cluster_id")))
                    .selectExpr("sum(score * units) / sum(units)", "avg(CASE WHEN grade IN ('AAA', 'AA') THEN 1.0 ELSE 0.0 END)").head();
            assertEquals(expected.getDouble(0), r.<Double>getAs("weighted_score"), 1e-9);
            assertEquals(expected.getDecimal(1).doubleValue(), r.<Double>getAs("share_aa_or_better"), 1e-9);
        }
    }
}
