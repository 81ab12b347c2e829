package io.qualitylake.batch.quality;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.PlantedWorld;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The quality job on the planted year: first-pass yield recovered per line, rates consistent. */
class QualityJobIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static PlantedWorld world;
    static Dataset<Row> monthly;

    @BeforeAll
    static void run() throws Exception {
        world = PlantedWorld.get();
        BatchTestSupport.run(SPARK, new QualityJob(), world.lake, world.asOf, null);
        monthly = BatchTestSupport.table(SPARK, world.lake, "gold.quality_kpis")
                .filter(col("as_of").equalTo(java.sql.Date.valueOf(world.asOf)).and(col("period_type").equalTo("MONTH")));
    }

    /** Over the year each line builds 7,300 units: the yearly FPY is within 4.5 binomial SE of the planted probability. */
    @Test
    void firstPassYieldMatchesThePlantedProbabilityPerLine() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) world.sim.truth().asMap().get("lines");
        for (Map<String, Object> l : lines) {
            Row y = monthly.filter(col("line_id").equalTo(l.get("line_id")))
                    .agg(org.apache.spark.sql.functions.sum("units"), org.apache.spark.sql.functions.sum("first_pass_units")).head();
            double n = y.getLong(0);
            double fpy = y.getLong(1) / n;
            double p = ((Number) l.get("fpy")).doubleValue();
            assertEquals(p, fpy, 4.5 * Math.sqrt(p * (1 - p) / n), l.toString());
        }
    }

    @Test
    void ratesAreProportionsAndMonthsAddUpToDays() {
        assertEquals(0, monthly.filter("fpy < 0 OR fpy > 1 OR scrap_rate > 1 OR rty <= 0 OR rty > 1 OR traceability_coverage > 1").count());
        Dataset<Row> kpis = BatchTestSupport.table(SPARK, world.lake, "gold.quality_kpis");
        long dayUnits = kpis.filter("period_type = 'DAY'").agg(org.apache.spark.sql.functions.sum("units")).head().getLong(0);
        long monthUnits = monthly.agg(org.apache.spark.sql.functions.sum("units")).head().getLong(0);
        assertEquals(dayUnits, monthUnits);
        assertEquals(world.sim.truth().counts().get("UNIT_COMPLETED"), monthUnits);
        assertTrue(BatchTestSupport.table(SPARK, world.lake, "gold.defect_pareto").filter("rank = 1 AND share < 0.1").count() == 0,
                "the top defect code of a line-period has a real share (the planted mixes are skewed)");
    }
}
