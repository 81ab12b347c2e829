package io.qualitylake.batch.trace;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.silver.SilverTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A unit's genealogy (SPEC §5 traceability): its production record, component lots (with the
 * suppliers job's verdict on each lot), measurements with out-of-spec flags, defects, install and
 * field failures, gathered from silver by serial number. Sections are lists of column → value maps
 * in time order, so the CLI can print them as text or JSON.
 */
public record Genealogy(String serial, Map<String, Object> unit, List<Map<String, Object>> components,
                        List<Map<String, Object>> measurements, List<Map<String, Object>> defects,
                        List<Map<String, Object>> installs, List<Map<String, Object>> failures) {

    public boolean found() {
        return unit != null || !installs.isEmpty() || !failures.isEmpty();
    }

    public static Genealogy of(SparkSession spark, Lake lake, String serial) {
        JobContext ctx = new JobContext(lake, null, null, Map.of());
        List<Map<String, Object>> unitRows = rows(SilverTable.PRODUCTION_UNITS.read(spark, ctx).filter(col("serial_no").equalTo(serial))
                .select("serial_no", "plant_id", "line_id", "product_model", "batch_id", "shift", "result", "rework_count",
                        "unit_value", "event_time"));
        Dataset<Row> components = SilverTable.UNIT_COMPONENTS.read(spark, ctx).filter(col("serial_no").equalTo(serial))
                .select("position", "component", "supplier_id", "lot_id");
        String lots = lake.gold("suspect_lots");
        if (Tables.exists(spark, lots)) {
            Dataset<Row> verdict = spark.read().format("delta").load(lots);
            verdict = verdict.filter(col("as_of").equalTo(verdict.agg(org.apache.spark.sql.functions.max("as_of")).head().getDate(0)))
                    .select(col("lot_id"), col("flagged").as("lot_flagged"), col("ratio").as("lot_failure_ratio"),
                            col("explained_by").as("lot_explained_by"));
            components = components.join(verdict, new String[] {"lot_id"}, "left");
        }
        Dataset<Row> m = SilverTable.MEASUREMENTS.read(spark, ctx).filter(col("serial_no").equalTo(serial))
                .select("characteristic_id", "station_id", "subgroup_id", "value", "lsl", "usl", "collection", "event_time")
                .withColumn("out_of_spec", when(col("lsl").isNotNull().and(col("value").lt(col("lsl"))), lit(true))
                        .when(col("usl").isNotNull().and(col("value").gt(col("usl"))), lit(true)).otherwise(lit(false)));
        return new Genealogy(serial, unitRows.isEmpty() ? null : unitRows.get(0), rows(components.orderBy("position")),
                rows(m.orderBy("event_time", "characteristic_id")),
                rows(SilverTable.DEFECTS.read(spark, ctx).filter(col("serial_no").equalTo(serial))
                        .select("station_id", "defect_code", "severity", "disposition", "cost", "event_time").orderBy("event_time")),
                rows(SilverTable.INSTALLS.read(spark, ctx).filter(col("serial_no").equalTo(serial))
                        .select("region", "event_time").orderBy("event_time")),
                rows(SilverTable.FIELD_FAILURES.read(spark, ctx).filter(col("serial_no").equalTo(serial))
                        .select("failure_mode", "claim_cost", "warranty", "operating_hours", "event_time").orderBy("event_time")));
    }

    private static List<Map<String, Object>> rows(Dataset<Row> d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : d.collectAsList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String f : r.schema().fieldNames()) {
                Object v = r.getAs(f);
                m.put(f, v instanceof java.sql.Timestamp t ? t.toInstant().toString() : v);
            }
            out.add(m);
        }
        return out;
    }

    /** Human-readable text: one block per section, out-of-spec measurements and flagged lots marked. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("unit ").append(serial).append('\n');
        if (unit == null) {
            b.append("  no production record (the unit is known only from the field)\n");
        } else {
            b.append(String.format("  built    %s  plant %s  line %s  batch %s  shift %s%n", unit.get("event_time"), unit.get("plant_id"),
                    unit.get("line_id"), unit.get("batch_id"), unit.get("shift")));
            b.append(String.format("  product  %s  result %s  rework %s  value %s%n", unit.get("product_model"), unit.get("result"),
                    n(unit.get("rework_count")), n(unit.get("unit_value"))));
        }
        b.append("components (").append(components.size()).append(")\n");
        for (Map<String, Object> c : components) {
            Object flagged = c.get("lot_flagged");
            String verdict = Boolean.TRUE.equals(flagged) ? "  << SUSPECT LOT (failure ratio " + round(c.get("lot_failure_ratio")) + ")"
                    : c.get("lot_explained_by") != null ? "  (excess explained by lot " + c.get("lot_explained_by") + ")" : "";
            b.append(String.format("  %-10s supplier %-4s lot %s%s%n", c.get("component"), c.get("supplier_id"), c.get("lot_id"), verdict));
        }
        b.append("measurements (").append(measurements.size()).append(")\n");
        for (Map<String, Object> m : measurements) {
            b.append(String.format("  %s  %-22s %10s  spec [%s, %s]  %s%s%n", m.get("event_time"), m.get("characteristic_id"),
                    n(m.get("value")), n(m.get("lsl")), n(m.get("usl")), m.get("collection"),
                    Boolean.TRUE.equals(m.get("out_of_spec")) ? "  << OUT OF SPEC" : ""));
        }
        b.append("defects (").append(defects.size()).append(")\n");
        for (Map<String, Object> d : defects) {
            b.append(String.format("  %s  %s at %s  %s  %s  cost %s%n", d.get("event_time"), d.get("defect_code"), d.get("station_id"),
                    d.get("severity"), d.get("disposition"), n(d.get("cost"))));
        }
        b.append("installs (").append(installs.size()).append(")\n");
        for (Map<String, Object> i : installs) {
            b.append(String.format("  %s  region %s%n", i.get("event_time"), i.get("region")));
        }
        b.append("field failures (").append(failures.size()).append(")\n");
        for (Map<String, Object> f : failures) {
            b.append(String.format("  %s  %s  claim %s  warranty %s  hours %s%n", f.get("event_time"), f.get("failure_mode"),
                    n(f.get("claim_cost")), f.get("warranty"), n(f.get("operating_hours"))));
        }
        return b.toString();
    }

    /** A number for people (no binary noise: 0.8500000000000001 → 0.85); "-" for a missing value. JSON keeps raw values. */
    private static String n(Object v) {
        return v == null ? "-" : io.qualitylake.batch.format.HumanNumbers.format(v, io.qualitylake.batch.format.HumanNumbers.TEXT_DIGITS);
    }

    private static String round(Object v) {
        return v instanceof Double d ? String.format("%.1f", d) : String.valueOf(v);
    }
}
