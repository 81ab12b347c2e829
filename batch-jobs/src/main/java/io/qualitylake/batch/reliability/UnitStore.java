package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.ChangeFeed;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.silver.SilverTable;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * {@code silver.unit_service}: one row per unit in service — first install (time, model, plant),
 * first failure at or after it, failure count, build time, and the component lots it carries — over
 * the events before the cut-off of the run that last refreshed it. Life models and the supplier job
 * read it instead of joining all installs, failures, production units and unit components every day.
 *
 * <p>A refresh recomputes only the units whose events changed: those in the change data feed of
 * installs, field failures, production units and unit components since the versions the store reflects, and those
 * with events between the store's cut-off and the new one (ingested earlier, counted only now). They
 * are recomputed from their own events and MERGEd in (deletion vectors: no file is rewritten for a
 * changed row). A cut-off earlier than the store's, a store without state, or a table without a
 * change feed rebuilds it. The state (cut-off and versions) is kept in table properties, written
 * after the rows: a crash between the two leaves a stale state, which only makes the next refresh
 * recompute the same units again.
 */
public final class UnitStore {
    public static final String TABLE = "unit_service";
    static final String END_PROPERTY = "qlake.end";
    static final String VERSIONS_PROPERTY = "qlake.versions";
    private static final List<SilverTable> SOURCES = List.of(SilverTable.INSTALLS, SilverTable.FIELD_FAILURES,
            SilverTable.PRODUCTION_UNITS, SilverTable.UNIT_COMPONENTS);
    /** The sources whose events count only before the cut-off (a unit's build record and parts always count). */
    private static final List<SilverTable> CUT_OFF = List.of(SilverTable.INSTALLS, SilverTable.FIELD_FAILURES);

    /** The store's columns ({@link ReliabilityTransforms#unitRows}); a store missing one is rebuilt. */
    static final List<String> COLUMNS = List.of("serial_no", "installed_at", "product_model", "plant_id", "first_failure_at",
            "failures", "built_at", "built_plant", "built_line", "built_model", "lots");

    private UnitStore() {}

    /** The store brought up to this run's cut-off; rows as {@link ReliabilityTransforms#unitRows}. */
    public static Dataset<Row> refresh(SparkSession spark, JobContext ctx) {
        String path = ctx.lake().silver(TABLE);
        Timestamp end = ctx.end();
        Map<String, Long> versions = new LinkedHashMap<>();
        for (SilverTable t : SOURCES) {
            String p = ctx.lake().silver(t.table());
            versions.put(t.table(), Tables.exists(spark, p) ? Tables.version(spark, p) : -1L);
        }
        State state = State.of(spark, path);
        boolean oldColumns = state != null
                && !java.util.Arrays.asList(spark.read().format("delta").load(path).columns()).containsAll(COLUMNS);
        if (oldColumns) {
            state = null; // a store written before a column was added: rebuilt once
        }
        String how;
        boolean wrote = true;
        Map<SilverTable, Dataset<Row>> feeds = state == null || end.before(state.end) ? null : feeds(spark, ctx, state, versions);
        if (feeds == null) {
            how = oldColumns ? "rebuilt (new columns)" : state == null ? "built" : end.before(state.end) ? "rebuilt (earlier cut-off)" : "rebuilt (no change feed)";
            String state0 = State.text(end, versions);
            ReliabilityTransforms.unitRows(SilverTable.INSTALLS.read(spark, ctx), SilverTable.FIELD_FAILURES.read(spark, ctx),
                            SilverTable.PRODUCTION_UNITS.read(spark, ctx), SilverTable.UNIT_COMPONENTS.read(spark, ctx), end)
                    .write().format("delta").mode(SaveMode.Overwrite).option("overwriteSchema", "true")
                    .option("userMetadata", state0).save(path);
            if (!"true".equals(Tables.properties(spark, path).get("delta.enableDeletionVectors"))) {
                State.committing(spark, state0, () -> spark.sql("ALTER TABLE delta.`" + path
                        + "` SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')"));
            }
        } else if (state.end.equals(end) && feeds.isEmpty()) { // no source changed rows since (VACUUM commits aside)
            how = "unchanged";
            wrote = false;
        } else {
            Dataset<Row> changed = changedSerials(spark, ctx, state, feeds, end).localCheckpoint();
            long n = changed.count();
            ctx.lap("unit_service_changes");
            how = n + " units refreshed";
            wrote = n > 0;
            if (n > 0) {
                // lots are taken only for units with a new or late install (new to the store) and units whose
                // parts changed; the others (a new failure, say) keep theirs. (Reading the parts from the build
                // days of those units alone needs the units' production records first, a pass of its own:
                // measured slower than this one pass that scans the parts beside the other tables.)
                Dataset<Row> lotUnits = changed.filter(col("read_lots")).select("serial_no"); // at most n: no count of its own
                Dataset<Row> fresh = ReliabilityTransforms.unitRows(only(SilverTable.INSTALLS.read(spark, ctx), changed, n),
                        only(SilverTable.FIELD_FAILURES.read(spark, ctx), changed, n),
                        only(SilverTable.PRODUCTION_UNITS.read(spark, ctx), changed, n),
                        only(SilverTable.UNIT_COMPONENTS.read(spark, ctx), lotUnits, n), end)
                        .localCheckpoint(); // eager
                ctx.lap("unit_service_rows"); // the MERGE below is the step "unit_service"
                // every changed unit once: with its new row, or with nulls when it is no longer in service
                Dataset<Row> source = changed.join(fresh.withColumn("_present", lit(true)), new String[] {"serial_no"}, "left");
                Map<String, String> update = assignments(fresh);
                update.put("lots", "CASE WHEN s.read_lots THEN s.lots ELSE t.lots END");
                State.committing(spark, State.text(end, versions), () -> DeltaTable.forPath(spark, path).as("t")
                        .merge(source.as("s"), "t.serial_no = s.serial_no")
                        .whenMatched("s._present IS NULL").delete()
                        .whenMatched().updateExpr(update)
                        .whenNotMatched("s._present").insertExpr(assignments(fresh))
                        .execute());
            }
        }
        ctx.note("unit_service", how);
        if (wrote) {
            Tables.recordWrite(spark, ctx, "silver." + TABLE, path);
        } else {
            ctx.read("silver." + TABLE, Tables.version(spark, path));
        }
        return spark.read().format("delta").load(path);
    }

    private static Map<String, String> assignments(Dataset<Row> rows) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : rows.columns()) {
            out.put(c, "s." + c);
        }
        return out;
    }

    /** Broadcast below this many changed units (a day's changes); a larger set is joined by shuffle. */
    private static final long BROADCAST_MAX = 200_000;

    private static Dataset<Row> only(Dataset<Row> rows, Dataset<Row> serials, long n) {
        return rows.join(n <= BROADCAST_MAX ? org.apache.spark.sql.functions.broadcast(serials) : serials,
                new String[] {"serial_no"}, "left_semi");
    }

    /**
     * Each source's change feed since the version the store reflects (absent when unchanged), or null
     * when a source went back in versions or its feed does not cover the range: then the store is rebuilt.
     */
    private static Map<SilverTable, Dataset<Row>> feeds(SparkSession spark, JobContext ctx, State state, Map<String, Long> versions) {
        Map<SilverTable, Dataset<Row>> out = new java.util.EnumMap<>(SilverTable.class);
        for (SilverTable t : SOURCES) {
            long was = state.versions.getOrDefault(t.table(), -1L);
            long now = versions.get(t.table());
            if (now < was) {
                return null;
            }
            if (now > was && io.qualitylake.batch.lake.Delta.dataChanged(spark, ctx.lake().silver(t.table()), was, now)) {
                Dataset<Row> feed = ChangeFeed.between(spark, ctx.lake().silver(t.table()), was, now);
                if (feed == null) {
                    return null;
                }
                out.put(t, feed);
            }
        }
        return out;
    }

    /**
     * Units with changed events, and units with events between the old cut-off and the new one; read_lots
     * when an install or a part of the unit is among them (a unit enters the store by an install).
     */
    private static Dataset<Row> changedSerials(SparkSession spark, JobContext ctx, State state,
                                               Map<SilverTable, Dataset<Row>> feeds, Timestamp end) {
        Dataset<Row> out = null;
        for (SilverTable t : SOURCES) {
            String p = ctx.lake().silver(t.table());
            Column readLots = lit(t == SilverTable.INSTALLS || t == SilverTable.UNIT_COMPONENTS).as("read_lots");
            Dataset<Row> serials = feeds.containsKey(t) ? feeds.get(t).select(col("serial_no"), readLots) : null;
            if (CUT_OFF.contains(t) && Tables.exists(spark, p) && end.after(state.end)) {
                java.sql.Date fromDay = java.sql.Date.valueOf(state.end.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate());
                Dataset<Row> window = spark.read().format("delta").load(p)
                        .filter(col("event_date").geq(lit(fromDay)))
                        .filter(col("event_time").geq(lit(state.end)).and(col("event_time").lt(lit(end))))
                        .select(col("serial_no"), readLots);
                serials = serials == null ? window : serials.union(window);
            }
            if (serials != null) {
                out = out == null ? serials : out.union(serials);
            }
        }
        return out == null ? spark.emptyDataFrame().selectExpr("CAST(NULL AS STRING) AS serial_no", "false AS read_lots").limit(0)
                : out.filter(col("serial_no").isNotNull()).groupBy("serial_no")
                        .agg(org.apache.spark.sql.functions.max("read_lots").as("read_lots"));
    }

    /**
     * The cut-off and source versions the store's rows reflect, kept in the user metadata of the
     * commit that wrote them (one transaction: rows and state never disagree). A refresh that finds
     * nothing to change writes nothing: the rows then reflect the newer cut-off as well.
     */
    private record State(Timestamp end, Map<String, Long> versions) {
        static State of(SparkSession spark, String path) {
            if (!Tables.exists(spark, path)) {
                return null;
            }
            String text = io.qualitylake.batch.lake.Delta.lastDataCommitMetadata(spark, path);
            if (text == null || !text.startsWith("end=")) {
                return null;
            }
            Map<String, Long> versions = new LinkedHashMap<>();
            Timestamp end = null;
            for (String kv : text.split(";")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("end")) {
                    end = Timestamp.from(java.time.Instant.parse(p[1]));
                } else {
                    versions.put(p[0], Long.parseLong(p[1]));
                }
            }
            return new State(end, versions);
        }

        static String text(Timestamp end, Map<String, Long> versions) {
            StringBuilder b = new StringBuilder("end=").append(end.toInstant());
            versions.forEach((k, v) -> b.append(';').append(k).append('=').append(v));
            return b.toString();
        }

        /** Runs a Delta operation whose commit carries {@code state} as its user metadata. */
        static void committing(SparkSession spark, String state, Runnable op) {
            String key = "spark.databricks.delta.commitInfo.userMetadata";
            spark.conf().set(key, state);
            try {
                op.run();
            } finally {
                spark.conf().unset(key);
            }
        }
    }
}
