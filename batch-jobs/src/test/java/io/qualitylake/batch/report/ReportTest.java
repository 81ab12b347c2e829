package io.qualitylake.batch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qualitylake.batch.benchmarks.BenchmarksJob;
import io.qualitylake.batch.grading.GradingJob;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.reliability.ReliabilityJob;
import io.qualitylake.batch.suppliers.SuppliersJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTML report on the planted world: every section, every chart a real PNG, and a real browser renders it. */
class ReportTest {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static Path out;

    @BeforeAll
    static void write() throws Exception {
        GradingWorld w = GradingWorld.get();
        for (var job : List.of(new ReliabilityJob(), new GradingJob(), new BenchmarksJob(), new SuppliersJob())) {
            BatchTestSupport.run(SPARK, job, w.lake, w.asOf, null);
        }
        out = Files.createTempDirectory("qlake-report");
        // the test world's bronze comes from a fixture, not the Flink job, so there are no ingest stats
        assertEquals(5, Report.write(SPARK, Lake.at(w.lake.toString()), out), "every section but ingest accounting");
    }

    static final List<String> CHARTS = List.of("fpy.png", "pareto.png", "control.png", "survival.png", "weibull.png", "grades.png");

    @Test
    void everyChartIsARealImageAndTheTablesHaveTheirRows() throws Exception {
        String html = Files.readString(out.resolve("index.html"));
        for (String chart : CHARTS) {
            assertTrue(html.contains("src=\"" + chart + "\""), chart);
            BufferedImage img = ImageIO.read(out.resolve(chart).toFile());
            assertEquals(Charts.W, img.getWidth(), chart);
            assertTrue(distinctColours(img) > 20, chart + " is not blank");
        }
        for (String heading : List.of("Line grades", "Enterprise capability levels", "Suspect supplier lots", "Field reliability",
                "Statistical process control", "First-pass yield by plant")) {
            assertTrue(html.contains("<h2>" + heading + "</h2>"), heading);
        }
        assertTrue(html.contains("S03-BRG-BAD01") || html.contains("BAD01"), "the planted bad lot is in the suppliers table");
        assertTrue(html.contains("预防级"), "enterprise levels with their Chinese names");
        assertTrue(html.contains("<h2>Not in this lake yet</h2>\n<ul><li>ops.ingest_stats (run qlake ingest)</li></ul>"),
                "a missing table names the command that makes it");
    }

    static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> c = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                c.add(img.getRGB(x, y));
            }
        }
        return c.size();
    }

    /**
     * Headless Chromium loads the page from disk and runs its load script, which counts the images
     * that decoded. Runs where Chromium is installed; CI installs it (.ci/run) and sets
     * QLAKE_REQUIRE_BROWSER=1, which turns a missing browser into a failure instead of a skip.
     */
    @Test
    void headlessChromiumRendersEveryChart() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        boolean required = "1".equals(System.getenv("QLAKE_REQUIRE_BROWSER"));
        if (required) {
            assertTrue(Files.isExecutable(chromium), "QLAKE_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing");
        }
        assumeTrue(Files.isExecutable(chromium), "Chromium not installed (apt-get install chromium)");
        Path profile = Files.createTempDirectory("qlake-chromium");
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                out.resolve("index.html").toUri().toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String dom = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "chromium timed out");
        assertTrue(dom.contains("data-images-loaded=\"" + CHARTS.size() + "\""),
                "every chart decoded in the browser: " + dom.substring(0, Math.min(300, dom.length())));
    }
}
