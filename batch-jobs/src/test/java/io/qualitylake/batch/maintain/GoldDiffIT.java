package io.qualitylake.batch.maintain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.Tables;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GoldDiff on hand-made tables: bookkeeping columns and row order ignored, float noise tolerated, real changes found. */
class GoldDiffIT {
    private static final SparkSession SPARK = SparkSessions.forTests();
    private static final StructType SCHEMA = new StructType().add("plant_id", DataTypes.StringType).add("rate", DataTypes.DoubleType)
            .add(Tables.AS_OF, DataTypes.StringType).add(Tables.RUN_ID, DataTypes.StringType);

    @TempDir
    Path tmp;

    private static Dataset<Row> frame(Object[]... rows) {
        return SPARK.createDataFrame(java.util.Arrays.stream(rows).map(RowFactory::create).toList(), SCHEMA);
    }

    @Test
    void sameRowsInAnotherOrderFromAnotherRunAreIdentical() {
        var a = GoldDiff.rows(frame(new Object[] {"P1", 0.1 + 0.2, "2026-01-10", "run-a"}, new Object[] {"P2", 2.0, "2026-01-10", "run-a"}));
        var b = GoldDiff.rows(frame(new Object[] {"P2", 2.0, "2026-01-11", "run-b"}, new Object[] {"P1", 0.3, "2026-01-11", "run-b"}));
        // 0.1 + 0.2 = 0.30000000000000004: within the 1e-9 relative tolerance (sums in another order)
        assertEquals(Optional.empty(), GoldDiff.difference(a, b, "t"));
    }

    @Test
    void aChangedValueOrAMissingRowIsADifference() {
        var a = GoldDiff.rows(frame(new Object[] {"P1", 0.3, "d", "r"}, new Object[] {"P2", 2.0, "d", "r"}));
        var b = GoldDiff.rows(frame(new Object[] {"P1", 0.3001, "d", "r"}, new Object[] {"P2", 2.0, "d", "r"}));
        assertTrue(GoldDiff.difference(a, b, "t").orElseThrow().contains("0.3 vs 0.3001"));
        var c = GoldDiff.rows(frame(new Object[] {"P1", 0.3, "d", "r"}));
        assertTrue(GoldDiff.difference(a, c, "t").isPresent());
    }

    @Test
    void lakesAreComparedTableByTable() throws Exception {
        Lake a = Lake.at(tmp.resolve("a").toString());
        Lake b = Lake.at(tmp.resolve("b").toString());
        frame(new Object[] {"P1", 1.0, "d", "r"}).write().format("delta").save(a.gold("quality_kpis"));
        frame(new Object[] {"P1", 1.0, "d2", "r2"}).write().format("delta").save(b.gold("quality_kpis"));
        frame(new Object[] {"P1", 1.0, "d", "r"}).write().format("delta").save(a.gold("line_grades"));
        assertEquals(List.of("line_grades", "quality_kpis"), GoldDiff.goldTables(SPARK, a));
        assertEquals(Optional.empty(), GoldDiff.difference(SPARK, a, b, "quality_kpis"));
        assertTrue(GoldDiff.difference(SPARK, a, b, "line_grades").orElseThrow().startsWith("missing in"));
    }
}
