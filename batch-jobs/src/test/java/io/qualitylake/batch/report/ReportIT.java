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
class ReportIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static Path out;
    static int sections;

    @BeforeAll
    static void write() throws Exception {
        GradingWorld w = GradingWorld.get();
        for (var job : List.of(new ReliabilityJob(), new GradingJob(), new BenchmarksJob(), new SuppliersJob())) {
            BatchTestSupport.run(SPARK, job, w.lake, w.asOf, null);
        }
        out = Files.createTempDirectory("qlake-report");
        // the test world's bronze comes from a fixture, not the Flink job, so there are no ingest stats
        sections = Report.write(SPARK, Lake.at(w.lake.toString()), out);
    }

    @Test
    void theSectionCountIsTheNumberOfSectionsOnThePage() throws Exception {
        String html = Files.readString(out.resolve("index.html"));
        long headings = html.lines().filter(l -> l.startsWith("<h2>") && !l.startsWith("<h2>Not in this lake yet")).count();
        // quality, SPC, live SPC alerts (empty here), reliability, repairable systems, warranty forecast, non-normal
        // capability, line grades, enterprise levels, benchmarks, cluster rankings, suppliers; no ingest stats
        assertEquals(12, headings, html);
        assertEquals(headings, sections, "the count the command prints");
    }

    static final List<String> CHARTS = List.of("fpy.png", "pareto.png", "control.png", "survival.png", "weibull.png", "mcf.png",
            "crow_amsaa.png", "forecast.png", "capability_hist.png", "grades.png");

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
                "Statistical process control", "First-pass yield by plant", "Repairable systems", "Warranty forecast",
                "Non-normal capability")) {
            assertTrue(html.contains("<h2>" + heading + "</h2>"), heading);
        }
        assertTrue(html.contains("S03-BRG-BAD01") || html.contains("BAD01"), "the planted bad lot is in the suppliers table");
        assertTrue(html.contains("预防级"), "enterprise levels with their Chinese names");
        assertTrue(html.contains("<h2>Not in this lake yet</h2>\n<ul><li>ops.ingest_stats (run qlake ingest)</li></ul>"),
                "a missing table names the command that makes it");
        assertTrue(html.contains("<h2>Recent live SPC alerts</h2>") && html.contains(Report.esc(LiveAlerts.NONE)),
                "no bronze.alerts in this lake: the section says there are none");
    }

    /** The repairable-systems charts draw the model the simulator made repairable (its units fail again). */
    @Test
    void theRepairableChartsDrawThePlantedRepairableModel() throws Exception {
        Object planted = GradingWorld.get().truthList("repairable").get(0).get("product_model");
        assertEquals(planted, DepthFigures.repairableModel(SPARK));
    }

    @Test
    void tableNumbersAreForPeopleAndWideTablesScrollInTheirBox() throws Exception {
        String html = Files.readString(out.resolve("index.html"));
        // raw doubles print 15-17 digits or an exponent (6.29373641913844E-7); people get at most 4 significant digits
        java.util.regex.Matcher raw = java.util.regex.Pattern.compile("<td[^>]*>-?[0-9,]*\\.[0-9]{5,}</td>|<td[^>]*>[^<]*[0-9]E-?[0-9]+</td>")
                .matcher(html);
        boolean found = raw.find();
        assertTrue(!found, "raw number in a report table: " + (found ? raw.group() : ""));
        assertTrue(html.contains("<td class=\"n\">"), "numbers right-aligned");
        assertEquals(html.split("<table>", -1).length - 1, html.split("<div class=\"tbl\"><table>", -1).length - 1,
                "every table sits in a scrolling box");
        assertTrue(html.contains("font-family:'DejaVu Sans', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei'"), "the page names a CJK font");
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
        // the level names (经验级 …) get real glyphs from the page's font-family, not empty boxes
        assertTrue(dom.contains("data-cjk-glyphs=\"distinct\""), "Chinese glyphs render in Chromium (apt-get install fonts-wqy-zenhei): "
                + dom.substring(0, Math.min(300, dom.length())));
    }
}
