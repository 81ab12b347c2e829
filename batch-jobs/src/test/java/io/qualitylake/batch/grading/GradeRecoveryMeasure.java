package io.qualitylake.batch.grading;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qualitylake.batch.capability.CapabilityJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.JobRunner;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.quality.QualityJob;
import io.qualitylake.batch.reference.ReferenceJob;
import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measurement, not a regression test (it builds worlds the tests never see and takes minutes): how
 * well one month's line scores recover the planted line order, per rubric variant. Spearman of score
 * against truth.json true_quality per complete month, the bad-lot line left out (it has a second
 * planted cause); then against the planted per-line-month truth (line_months, {@link PlantedGrades}):
 * Spearman against the true score per month, interval coverage, grade agreement away from band edges
 * (line_months are scored with the shipped rubric, so read these for the shipped variant, index 2). Run with
 * {@code nice -n 10 mvn -B -o -q -pl batch-jobs -am -Dtest=GradeRecoveryMeasure -Dqlake.measure=SEED:PLANTS:DAYS[,…]
 * [-Dqlake.variants=0,2,…] -Dsurefire.failIfNoSpecifiedTests=false test}
 * and read the figures from the test's output. {@code -Dqlake.keep=DIR} keeps each world's prepared lake under DIR and
 * reuses it on later runs (only the grading job reruns); {@code -Dqlake.detail=1} prints every graded line-month's score,
 * interval and true score with each indicator as published/expected; {@code -Dqlake.misses=1} only the uncovered ones.
 */
@EnabledIfSystemProperty(named = "qlake.measure", matches = ".+")
class GradeRecoveryMeasure {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final ObjectMapper JSON = new ObjectMapper();

    /** name → the rubric keys it adds to the shipped default. */
    static Map<String, String> variants() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("one month (before)", "{\"trailing_window\": {\"months\": 1, \"indicators\": []}}");
        v.put("afr 3m", "{\"trailing_window\": {\"months\": 3, \"indicators\": [\"afr_ratio\"]}}");
        v.put("afr+cpk+dpmo+qlr 3m", "{\"trailing_window\": {\"months\": 3, \"indicators\": [\"afr_ratio\", \"critical_cpk_share\", \"dpmo\", \"quality_loss_rate\"]}}");
        v.put("all 3m", "{\"trailing_window\": {\"months\": 3, \"indicators\": [\"fpy\", \"afr_ratio\", \"critical_cpk_share\", \"dpmo\", \"quality_loss_rate\"]}}");
        v.put("afr+cpk+dpmo+qlr 3m + EB", "{\"trailing_window\": {\"months\": 3, \"indicators\": [\"afr_ratio\", \"critical_cpk_share\", \"dpmo\", \"quality_loss_rate\"]}, \"shrinkage\": \"empirical_bayes\"}");
        v.put("one month + EB", "{\"trailing_window\": {\"months\": 1, \"indicators\": []}, \"shrinkage\": \"empirical_bayes\"}");
        v.put("afr 3m + EB", "{\"trailing_window\": {\"months\": 3, \"indicators\": [\"afr_ratio\"]}, \"shrinkage\": \"empirical_bayes\"}");
        return v;
    }

    @Test
    void measure() throws Exception {
        for (String w : System.getProperty("qlake.measure").split(",")) {
            String[] p = w.split(":");
            world(Long.parseLong(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        }
    }

    @SuppressWarnings("unchecked")
    void world(long seed, int plants, int days) throws Exception {
        SimulationConfig d = SimulationConfig.defaults();
        SimulationConfig config = new SimulationConfig(seed, plants, days, d.start(), d.unitsPerDay(), d.subgroupsPerDay(), 0, 0, 0, 0);
        BatchTestSupport.Simulated sim = BatchTestSupport.simulate(config);
        Map<String, Object> truth = sim.truth().asMap();
        LocalDate asOf = LocalDate.parse(truth.get("as_of").toString());
        // -Dqlake.keep=DIR keeps each world's lake (silver, quality and capability gold) under DIR and
        // reuses it on the next run, so rubric variants can be compared without rebuilding the world
        Path lake = prepared(SPARK, config, sim, asOf);

        Map<String, Object> bad = (Map<String, Object>) truth.get("bad_lot");
        Map<String, Double> quality = new TreeMap<>();
        for (Map<String, Object> l : (List<Map<String, Object>>) truth.get("lines")) {
            boolean badLine = bad != null && l.get("plant_id").equals(bad.get("plant_id")) && l.get("product_model").equals(bad.get("product_model"));
            if (!badLine) {
                quality.put(l.get("line_id").toString(), ((Number) l.get("true_quality")).doubleValue());
            }
        }
        LocalDate first = config.start();
        LocalDate last = first.plusDays(days - 1);
        List<String> complete = new ArrayList<>();
        for (YearMonth m = YearMonth.from(first); !m.isAfter(YearMonth.from(last)); m = m.plusMonths(1)) {
            if (!m.atDay(1).isBefore(first) && !m.atEndOfMonth().isAfter(last)) {
                complete.add(m.toString());
            }
        }
        System.out.printf("%n== world seed %d, %d plants x %d days: %d lines without the bad-lot line, complete months %s%n",
                seed, plants, days, quality.size(), complete);
        List<String> only = System.getProperty("qlake.variants") == null ? null : List.of(System.getProperty("qlake.variants").split(","));
        int index = 0;
        for (Map.Entry<String, String> v : variants().entrySet()) {
            if (only != null && !only.contains(String.valueOf(index++))) {
                continue;
            }
            ObjectNode rubric = (ObjectNode) JSON.readTree(GradingRecoveryFiles.defaultRubric());
            rubric.setAll((ObjectNode) JSON.readTree(v.getValue()));
            Path file = Files.createTempFile("rubric", ".json");
            Files.writeString(file, JSON.writeValueAsString(rubric));
            JobContext ctx = new JobContext(Lake.at(lake.toString()), asOf, null, Map.of(GradingJob.RUBRIC_OPTION, file.toString()));
            new JobRunner(SPARK).run(new GradingJob(), ctx, "grading " + v.getKey());
            List<Row> rows = BatchTestSupport.table(SPARK, lake, "gold.line_grades").filter(col("grade").notEqual("INSUFFICIENT_DATA"))
                    .select("period", "line_id", "score", "fpy", "critical_cpk_share", "dpmo", "afr_ratio", "quality_loss_rate")
                    .collectAsList();
            StringBuilder out = new StringBuilder(String.format("%-28s score:", v.getKey()));
            double min = 1;
            for (String month : complete) {
                double rho = spearman(rows, month, quality, 2, false);
                min = Math.min(min, rho);
                out.append(String.format(" %s %.3f", month, rho));
            }
            out.append(String.format("  (min %.3f)  per indicator [min..max over months]:", min));
            String[] ind = {"fpy", "critical_cpk_share", "dpmo", "afr_ratio", "quality_loss_rate"};
            for (int i = 0; i < ind.length; i++) {
                double lo = 1;
                double hi = -1;
                for (String month : complete) {
                    double rho = spearman(rows, month, quality, 3 + i, i >= 2);
                    if (!Double.isNaN(rho)) { // NaN: fewer than 3 lines with the indicator, or all equal (shrunk to the mean)
                        lo = Math.min(lo, rho);
                        hi = Math.max(hi, rho);
                    }
                }
                out.append(String.format(" %s %.2f..%.2f", ind[i], lo, hi));
            }
            System.out.println(out);
            System.out.println("    planted truth (line_months): " + PlantedGrades.compare(
                    BatchTestSupport.table(SPARK, lake, "gold.line_grades"), truth, io.qualitylake.grading.Rubric.load(file.toString())));
        }
    }

    /**
     * The world's lake with silver, quality and capability gold built as of {@code asOf}: a fresh
     * temporary one, or with {@code -Dqlake.keep=DIR} the one kept under DIR from an earlier run.
     */
    static Path prepared(SparkSession spark, SimulationConfig config, BatchTestSupport.Simulated sim, LocalDate asOf) throws Exception {
        String keep = System.getProperty("qlake.keep");
        Path lake = keep == null ? Files.createTempDirectory("qlake-recovery")
                : Path.of(keep, "seed" + config.seed() + "-" + config.plants() + "x" + config.days());
        if (keep == null || !Files.exists(lake.resolve("prepared"))) {
            Files.createDirectories(lake);
            BatchTestSupport.writeBronze(spark, lake, sim.records());
            Path ref = BatchTestSupport.writeReference(config, Files.createTempDirectory("qlake-recovery-ref"));
            BatchTestSupport.run(spark, new ReferenceJob(), lake, null, ref.toString());
            BatchTestSupport.writeSilverFromBronze(spark, lake, SilverTable.values());
            BatchTestSupport.run(spark, new QualityJob(), lake, asOf, null);
            BatchTestSupport.run(spark, new CapabilityJob(), lake, asOf, null);
            Files.writeString(lake.resolve("prepared"), "");
        }
        return lake;
    }

    /** Spearman of column {@code c} against true quality in {@code month}; smaller-is-better columns negated. */
    static double spearman(List<Row> rows, String month, Map<String, Double> quality, int c, boolean smallerBetter) {
        List<double[]> pairs = new ArrayList<>();
        for (Row r : rows) {
            if (r.getString(0).equals(month) && quality.containsKey(r.getString(1)) && !r.isNullAt(c)) {
                double x = r.getDouble(c);
                pairs.add(new double[] {quality.get(r.getString(1)), smallerBetter ? -x : x});
            }
        }
        if (pairs.size() < 3) {
            return Double.NaN;
        }
        return new SpearmansCorrelation().correlation(pairs.stream().mapToDouble(p -> p[0]).toArray(),
                pairs.stream().mapToDouble(p -> p[1]).toArray());
    }

    static final class GradingRecoveryFiles {
        static String defaultRubric() throws java.io.IOException {
            try (java.io.InputStream in = GradeRecoveryMeasure.class.getResourceAsStream("/rubrics/line-grade.json")) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
    }
}
