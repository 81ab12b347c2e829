package io.qualitylake.batch.reference;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.Tables;
import io.qualitylake.cli.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** {@code qlake batch reference --reference DIR}: dimension files → silver.dim_* (whole-table replace). */
public final class ReferenceJob implements BatchJob {
    @Override
    public boolean needsAsOf() {
        return false;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) {
        if (ctx.reference() == null) {
            throw new UserError("batch reference needs --reference DIR");
        }
        Map<Dimension, ReferenceFiles.Loaded> loaded = ReferenceFiles.load(Path.of(ctx.reference()));
        long rejectedTotal = 0;
        for (ReferenceFiles.Loaded l : loaded.values()) {
            List<Row> rows = l.rows().stream().map(RowFactory::create).toList();
            Tables.overwrite(spark, ctx, "silver." + l.dimension().table(), ctx.lake().silver(l.dimension().table()),
                    spark.createDataFrame(rows, l.dimension().schema()));
            for (String r : l.rejected()) {
                System.err.println("qlake batch reference: skipped " + r);
            }
            rejectedTotal += l.rejected().size();
            if (!l.rejected().isEmpty()) {
                ctx.note("rejected." + l.dimension().fileName(), l.rejected().size() + " rows skipped; first: " + l.rejected().get(0));
            }
        }
        ctx.note("rejected_rows", Long.toString(rejectedTotal));
    }
}
