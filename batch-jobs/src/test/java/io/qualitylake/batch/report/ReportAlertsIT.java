package io.qualitylake.batch.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.AlertsFixture;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.TinyGoldLake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The report's "Recent live SPC alerts" section on a small lake (TinyGoldLake) with 25 alerts in bronze/alerts. */
@Timeout(600)
class ReportAlertsIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    /**
     * Alert i (0–24) is detected at 08:00 + i min on 1 March 2026, for subgroup S{i} of C-BORE (first measurement
     * 5 min before), rule NELSON_1 for even i and NELSON_2 for odd, limits BATCH for even and SELF_STARTED for odd.
     * The section lists the newest 20 (S24 down to S05, in that order), says so, and leaves out S00–S04.
     */
    @Test
    void theSectionListsTheLatestAlertsNewestFirst() throws Exception {
        TinyGoldLake lake = TinyGoldLake.copy(SPARK, "report-alerts");
        Instant t0 = Instant.parse("2026-03-01T08:00:00Z");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Timestamp detected = Timestamp.from(t0.plusSeconds(60L * i));
            Timestamp subgroup = Timestamp.from(t0.plusSeconds(60L * i - 300));
            boolean even = i % 2 == 0;
            rows.add(AlertsFixture.row("a" + i, "P01", "P01-L1", "C-BORE", String.format("S%02d", i), subgroup,
                    even ? "NELSON_1" : "NELSON_2", 14.0 + i, 10.0, 7.0, 13.0, 4.0, even ? "BATCH" : "SELF_STARTED", detected));
        }
        AlertsFixture.write(SPARK, lake.root, "2026-03-01", rows);
        Path out = Files.createTempDirectory("qlake-report-alerts");
        Report.write(SPARK, Lake.at(lake.root.toString()), out);
        String html = Files.readString(out.resolve("index.html"));

        int at = html.indexOf("<h2>Recent live SPC alerts</h2>");
        assertTrue(at >= 0, html);
        int end = html.indexOf("<h2>", at + 1);
        String section = html.substring(at, end < 0 ? html.length() : end);
        assertTrue(section.contains("The latest 20 of 25 alerts."), section);
        assertFalse(section.contains(Report.esc(LiveAlerts.NONE)));
        for (String column : List.of("detected_at", "characteristic_id", "rule", "subgroup_id", "subgroup_time", "limits_source")) {
            assertTrue(section.contains("<th>" + column + "</th>"), column);
        }
        List<String> subgroups = new ArrayList<>();
        Matcher m = Pattern.compile("<td>(S\\d\\d)</td>").matcher(section);
        while (m.find()) {
            subgroups.add(m.group(1));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 24; i >= 5; i--) {
            expected.add(String.format("S%02d", i));
        }
        assertEquals(expected, subgroups, "the newest 20, newest first");
        // the newest row, cell by cell: detected 08:24, subgroup from 08:19, NELSON_1 with batch limits
        assertTrue(section.contains("<td>2026-03-01 08:24:00</td><td>P01</td><td>P01-L1</td><td>C-BORE</td><td>NELSON_1</td>"
                + "<td>S24</td><td>2026-03-01 08:19:00</td><td class=\"n\">38</td><td class=\"n\">4</td><td>BATCH</td>"), section);
        assertTrue(section.contains("<td>S23</td><td>2026-03-01 08:18:00</td><td class=\"n\">37</td><td class=\"n\">4</td>"
                + "<td>SELF_STARTED</td>"), section);
    }
}
