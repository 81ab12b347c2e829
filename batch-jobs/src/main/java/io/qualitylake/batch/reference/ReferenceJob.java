package io.qualitylake.batch.reference;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.Tables;
import io.qualitylake.cli.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code qlake batch reference --reference DIR}: dimension files → silver.dim_* (whole-table replace).
 * A file with a bad row changes nothing: the job stops before writing, naming file:line and the
 * reason. With {@code --skip-bad-rows} the valid rows are loaded and every entity already in the
 * table that the file no longer holds a valid row for is kept (its bad line may have been it), so
 * no entity disappears because of a bad line.
 */
public final class ReferenceJob implements BatchJob {
    public static final String SKIP_BAD_ROWS_OPTION = "skip-bad-rows";

    @Override
    public boolean needsAsOf() {
        return false;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public java.util.List<String> outputs() {
        return java.util.Arrays.stream(io.qualitylake.batch.reference.Dimension.values()).map(d -> "silver." + d.table()).toList();
    }

    @Override
    public String summary() {
        return "reference files (plants, lines, products, characteristics, suppliers, enterprises) into the silver dimensions";
    }

    /** The check the batch command runs before Spark starts: files readable, and no bad rows unless skipped. */
    public static Map<Dimension, ReferenceFiles.Loaded> check(String reference, boolean skipBadRows) {
        if (reference == null) {
            throw new UserError("batch reference needs --reference DIR");
        }
        Map<Dimension, ReferenceFiles.Loaded> loaded = ReferenceFiles.load(Path.of(reference));
        List<String> rejected = loaded.values().stream().flatMap(l -> l.rejected().stream()).toList();
        if (!skipBadRows && !rejected.isEmpty()) {
            throw new UserError(rejected.get(0) + (rejected.size() > 1 ? " (and " + (rejected.size() - 1) + " more bad rows)" : "")
                    + "; nothing was loaded (fix the file, or --skip-bad-rows to load the valid rows and keep existing entities)");
        }
        return loaded;
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        boolean skip = Boolean.parseBoolean(ctx.option(SKIP_BAD_ROWS_OPTION, "false"));
        Map<Dimension, ReferenceFiles.Loaded> loaded = check(ctx.reference(), skip);
        long rejectedTotal = 0;
        long keptTotal = 0;
        for (ReferenceFiles.Loaded l : loaded.values()) {
            Dimension d = l.dimension();
            String path = ctx.lake().silver(d.table());
            List<Row> rows = new ArrayList<>(l.rows().stream().map(RowFactory::create).toList());
            if (!l.rejected().isEmpty() && Tables.exists(spark, path)) {
                List<Row> kept = keptRows(previous(spark, path, d), l.rows());
                rows.addAll(kept);
                keptTotal += kept.size();
            }
            Tables.overwrite(spark, ctx, "silver." + d.table(), path, spark.createDataFrame(rows, d.schema()));
            for (String r : l.rejected()) {
                System.err.println("qlake batch reference: skipped " + r);
            }
            rejectedTotal += l.rejected().size();
        }
        if (rejectedTotal > 0) {
            ctx.note("skipped_bad_rows", Long.toString(rejectedTotal));
            ctx.note("kept_existing_rows", Long.toString(keptTotal));
        }
    }

    /** The dimension's current rows, in its column order, read before the table is replaced. */
    private static List<Row> previous(SparkSession spark, String path, Dimension d) {
        String[] cols = d.columns().stream().map(Dimension.Column::name).toArray(String[]::new);
        return spark.read().format("delta").load(path).selectExpr(cols).collectAsList();
    }

    /** Previous rows whose key has no valid row in the new file: kept, so no entity silently disappears. */
    static List<Row> keptRows(List<Row> previous, List<Object[]> valid) {
        Set<Object> keys = new HashSet<>();
        valid.forEach(v -> keys.add(v[0]));
        return previous.stream().filter(r -> !keys.contains(r.get(0))).toList();
    }
}
