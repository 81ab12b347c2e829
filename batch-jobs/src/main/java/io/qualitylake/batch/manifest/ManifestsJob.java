package io.qualitylake.batch.manifest;

import io.qualitylake.batch.job.BatchJob;
import io.qualitylake.batch.job.JobContext;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** {@code qlake batch manifests}: symlink-format manifests for every gold table ({@link Manifests}). */
public final class ManifestsJob implements BatchJob {
    @Override
    public String name() {
        return "manifests";
    }

    @Override
    public String summary() {
        return "symlink manifests of every gold table (Trino, Presto, Athena, Hive)";
    }

    @Override
    public boolean needsAsOf() {
        return false;
    }

    @Override
    public void run(SparkSession spark, JobContext ctx) throws Exception {
        List<String> done = Manifests.update(spark, ctx.lake(), Manifests.goldTables(spark, ctx.lake()));
        ctx.note("manifests", done.size() + " gold tables (" + Manifests.DIR + "/ in each)");
    }
}
