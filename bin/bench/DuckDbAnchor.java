import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The anchor of {@code qlake batch-benchmark}: DuckDB (in-process, all cores) computes the aggregation
 * core of the gold layer from the same bronze Parquet — quality KPIs per day and month, the defect
 * Pareto, capability subgroup statistics per characteristic and period, and field exposure per model
 * and plant — as a full recompute. Run as a single-file program with the DuckDB JDBC jar on the class
 * path; it is never on a job's class path. Prints one line: seconds and row counts.
 */
public class DuckDbAnchor {
    public static void main(String[] args) throws Exception {
        String lake = args[0];
        String asOfEnd = args[1]; // exclusive instant, e.g. 2026-07-01T00:00:00Z
        String prod = "read_parquet('" + lake + "/bronze/production/*/*/[!.]*.parquet', hive_partitioning = true)";
        String field = "read_parquet('" + lake + "/bronze/field/*/*/[!.]*.parquet', hive_partitioning = true)";
        String cut = "event_time < TIMESTAMPTZ '" + asOfEnd + "'";
        String[] steps = {
            "CREATE TEMP TABLE p AS SELECT DISTINCT ON (event_id) * FROM " + prod + " WHERE " + cut,
            "CREATE TEMP TABLE f AS SELECT DISTINCT ON (event_id) * FROM " + field + " WHERE " + cut,
            "CREATE TEMP TABLE periods AS SELECT *, strftime(event_time, '%Y-%m-%d') AS day, strftime(event_time, '%Y-%m') AS month FROM p",
            // quality KPIs per plant x line x model x day and month
            "CREATE TEMP TABLE kpis AS SELECT plant_id, line_id, product_model, g.period, count(*) AS units,"
                + " sum(CASE WHEN result = 'PASS' AND rework_count = 0 THEN 1 ELSE 0 END) AS first_pass,"
                + " sum(CASE WHEN result = 'SCRAP' THEN 1 ELSE 0 END) AS scrap, sum(CASE WHEN rework_count > 0 THEN 1 ELSE 0 END) AS rework,"
                + " sum(unit_value) AS output_value FROM periods, LATERAL (SELECT unnest([day, month]) AS period) g"
                + " WHERE event_type = 'UNIT_COMPLETED' GROUP BY ALL",
            "CREATE TEMP TABLE defect_sums AS SELECT plant_id, line_id, g.period, count(*) AS defects, sum(cost) AS loss"
                + " FROM periods, LATERAL (SELECT unnest([day, month]) AS period) g WHERE event_type = 'DEFECT' GROUP BY ALL",
            "CREATE TEMP TABLE auto AS SELECT plant_id, line_id, g.period, avg(CASE WHEN collection = 'AUTO' THEN 1.0 ELSE 0 END) AS auto_rate"
                + " FROM periods, LATERAL (SELECT unnest([day, month]) AS period) g WHERE event_type = 'MEASUREMENT' GROUP BY ALL",
            // defect Pareto
            "CREATE TEMP TABLE pareto AS SELECT *, defects / sum(defects) OVER w AS share,"
                + " row_number() OVER (PARTITION BY plant_id, line_id, period ORDER BY defects DESC, defect_code) AS rank FROM ("
                + " SELECT plant_id, line_id, g.period, defect_code, count(*) AS defects, sum(cost) AS cost"
                + " FROM periods, LATERAL (SELECT unnest([day, month]) AS period) g WHERE event_type = 'DEFECT' GROUP BY ALL)"
                + " WINDOW w AS (PARTITION BY plant_id, line_id, period)",
            // capability: subgroup statistics, then per characteristic and period
            "CREATE TEMP TABLE subgroups AS SELECT plant_id, line_id, characteristic_id, subgroup_id, count(*) AS k, avg(value) AS mean,"
                + " coalesce(var_samp(value), 0) * (count(*) - 1) AS m2, max(value) - min(value) AS r, min(event_time) AS t"
                + " FROM p WHERE event_type = 'MEASUREMENT' AND value IS NOT NULL GROUP BY ALL",
            "CREATE TEMP TABLE capability AS SELECT plant_id, line_id, characteristic_id, g.period, sum(k) AS n, count(*) AS subgroups,"
                + " sum(k * mean) / sum(k) AS mean, avg(r) AS mean_range, sum(m2) AS m2 FROM (SELECT *, strftime(t, '%Y-%m-%d') AS day,"
                + " strftime(t, '%Y-%m') AS month FROM subgroups), LATERAL (SELECT unnest([day, month]) AS period) g GROUP BY ALL",
            // field exposure per model and plant
            "CREATE TEMP TABLE exposure AS WITH i AS (SELECT serial_no, min(event_time) AS installed, arg_min(product_model, event_time) AS model,"
                + " arg_min(plant_id, event_time) AS plant FROM f WHERE event_type = 'UNIT_INSTALLED' GROUP BY serial_no),"
                + " x AS (SELECT serial_no, count(*) AS failures FROM f WHERE event_type = 'FIELD_FAILURE' GROUP BY serial_no)"
                + " SELECT model, plant, count(*) AS units, sum(coalesce(failures, 0)) AS failures,"
                + " sum(epoch(TIMESTAMPTZ '" + asOfEnd + "' - installed) / 86400.0) AS unit_days FROM i LEFT JOIN x USING (serial_no) GROUP BY ALL",
        };
        Class.forName("org.duckdb.DuckDBDriver");
        long t0 = System.nanoTime();
        StringBuilder counts = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            for (String step : steps) {
                s.execute(step);
            }
            for (String t : new String[] {"kpis", "pareto", "subgroups", "capability", "exposure"}) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + t)) {
                    r.next();
                    counts.append(' ').append(t).append('=').append(r.getLong(1));
                }
            }
        }
        System.out.printf("duckdb_full_recompute_s=%.1f%s%n", (System.nanoTime() - t0) / 1e9, counts);
    }
}
