package io.qualitylake.batch.suppliers;

import static org.apache.spark.sql.functions.col;

import io.qualitylake.batch.silver.SilverTable;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * Not part of the suite (the name does not end in Test): the issue-19 reproduction on a mid-sized
 * wear-out world, run by hand with {@code -Dtest=AgeConfoundRepro -Dqlake.repro.plants=6 ...};
 * prints the flagged lots.
 */
class AgeConfoundRepro {
    @Test
    void flaggedLots() throws Exception {
        SparkSession spark = BatchTestSupport.spark();
        int plants = Integer.getInteger("qlake.repro.plants", 6);
        int days = Integer.getInteger("qlake.repro.days", 300);
        int upd = Integer.getInteger("qlake.repro.units", 30);
        long seed = Long.getLong("qlake.repro.seed", 21);
        boolean bad = !Boolean.getBoolean("qlake.repro.nobad");
        SimulationConfig c = new SimulationConfig(seed, plants, days, LocalDate.of(2026, 1, 1), upd, 0, 0, 0, 0, 0, bad);
        Path lake = Files.createTempDirectory("qlake-repro");
        long t0 = System.nanoTime();
        BatchTestSupport.Simulated sim = BatchTestSupport.simulate(c);
        BatchTestSupport.writeBronze(spark, lake, sim.records());
        BatchTestSupport.writeSilverFromBronze(spark, lake, SilverTable.PRODUCTION_UNITS, SilverTable.UNIT_COMPONENTS,
                SilverTable.INSTALLS, SilverTable.FIELD_FAILURES);
        LocalDate asOf = LocalDate.parse(sim.truth().asMap().get("as_of").toString());
        long t1 = System.nanoTime();
        BatchTestSupport.run(spark, new SuppliersJob(), lake, asOf, null);
        long t2 = System.nanoTime();
        Dataset<Row> lots = BatchTestSupport.table(spark, lake, "gold.suspect_lots");
        System.out.printf("REPRO plants=%d days=%d units/day=%d seed=%d badLot=%s (truth %s): %d lots, %d flagged; world %.0f s, suppliers %.0f s%n",
                plants, days, upd, seed, bad, sim.truth().asMap().get("bad_lot") == null ? "none"
                        : ((Map<?, ?>) sim.truth().asMap().get("bad_lot")).get("lot_id"),
                lots.count(), lots.filter(col("flagged")).count(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        for (Row r : lots.filter(col("flagged").or(col("q_value").lt(0.05))).orderBy("p_value").collectAsList()) {
            System.out.println("REPRO " + r);
        }
        Dataset<Row> cards = BatchTestSupport.table(spark, lake, "gold.supplier_scorecards");
        for (Row r : cards.orderBy("supplier_id").collectAsList()) {
            System.out.println("REPRO card " + r);
        }
    }
}
