package io.qualitylake.batch.trace;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.suppliers.SuppliersJob;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.GradingWorld;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** Tracing a failed field unit back to its line, batch and the planted bad supplier lot. */
class TraceIT {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @Test
    @SuppressWarnings("unchecked")
    void aFailedUnitTracesBackToTheBadLot() throws Exception {
        GradingWorld world = GradingWorld.get();
        BatchTestSupport.run(SPARK, new SuppliersJob(), world.lake, world.asOf, null);
        Map<String, Object> bad = (Map<String, Object>) world.truth.get("bad_lot");
        Row unit = BatchTestSupport.table(SPARK, world.lake, "silver.unit_components").filter(col("lot_id").equalTo(bad.get("lot_id")))
                .join(BatchTestSupport.table(SPARK, world.lake, "silver.field_failures").select("serial_no"), "serial_no")
                .orderBy("serial_no").select("serial_no", "plant_id", "line_id").head();
        Genealogy g = Genealogy.of(SPARK, Lake.at(world.lake.toString()), unit.getString(0));
        assertTrue(g.found());
        assertEquals(bad.get("plant_id"), g.unit().get("plant_id"));
        assertEquals(unit.getString(2), g.unit().get("line_id"));
        assertEquals(3, g.components().size(), "a traced unit carries three components");
        Map<String, Object> bearing = g.components().stream().filter(c -> c.get("lot_id").equals(bad.get("lot_id"))).findFirst().orElseThrow();
        assertEquals(true, bearing.get("lot_flagged"));
        assertFalse(g.failures().isEmpty());
        assertEquals(1, g.installs().size());
        String text = g.text();
        assertTrue(text.contains("SUSPECT LOT"), text);
        assertTrue(text.contains("lot " + bad.get("lot_id")), text);
        assertTrue(text.contains("line " + unit.getString(2)), text);
    }

    @Test
    void outOfSpecMeasurementsAreMarked() throws Exception {
        GradingWorld world = GradingWorld.get();
        Row m = BatchTestSupport.table(SPARK, world.lake, "silver.measurements").filter("serial_no IS NOT NULL AND (value > usl OR value < lsl)")
                .orderBy("event_id").head();
        Genealogy g = Genealogy.of(SPARK, Lake.at(world.lake.toString()), m.<String>getAs("serial_no"));
        assertTrue(g.measurements().stream().anyMatch(x -> Boolean.TRUE.equals(x.get("out_of_spec"))));
        assertTrue(g.text().contains("OUT OF SPEC"), g.text());
        assertFalse(Genealogy.of(SPARK, Lake.at(world.lake.toString()), "NO-SUCH-UNIT").found());
    }
}
