package io.qualitylake.batch.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference files → silver.dim_*: validated, bad rows reported with file and line, counted, never silent. */
class ReferenceJobTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @TempDir
    Path dir;

    @Test
    void badRowsAreReportedWithFileAndLineAndTheRestIsLoaded() throws Exception {
        Files.writeString(dir.resolve("products.jsonl"), String.join("\n",
                "{\"product_model\":\"M100\",\"family\":\"COMPRESSOR\",\"warranty_months\":24,\"opportunities_per_unit\":12,\"duty_hours_per_day\":16}",
                "{\"product_model\":\"../M200\",\"family\":\"COMPRESSOR\"}",
                "{\"product_model\":\"M300\",\"warranty_months\":\"three years\"}",
                "not json at all",
                "",
                "{\"product_model\":\"M100\"}",
                "{\"product_model\":\"M400\",\"duty_hours_per_day\":30}",
                "{\"product_model\":\"M500\"}") + "\n");
        Files.writeString(dir.resolve("plants.csv"), "plant_id,enterprise_id,name\nP01,E01,North\nP 02,E01,South\nP03,,West\n");
        Map<Dimension, ReferenceFiles.Loaded> loaded = ReferenceFiles.load(dir);

        ReferenceFiles.Loaded products = loaded.get(Dimension.PRODUCTS);
        assertEquals(List.of("products.jsonl:2: product_model '../M200' breaks the identifier rule",
                "products.jsonl:3: warranty_months 'three years' is not an integer",
                "products.jsonl:4: not a JSON object",
                "products.jsonl:6: duplicate product_model 'M100'",
                "products.jsonl:7: duty_hours_per_day 30 is out of range"), products.rejected());
        assertEquals(2, products.rows().size());
        ReferenceFiles.Loaded plants = loaded.get(Dimension.PLANTS);
        assertEquals(List.of("plants.csv:3: plant_id 'P 02' breaks the identifier rule", "plants.csv:4: enterprise_id is required"),
                plants.rejected());

        Path lake = dir.resolve("lake");
        JobContext ctx = BatchTestSupport.run(SPARK, new ReferenceJob(), lake, null, dir.toString());
        assertEquals(Map.of("silver.dim_products", 2L, "silver.dim_plants", 1L), ctx.rowsWritten());
        assertEquals("7", ctx.notes().get("rejected_rows"));
        Row m500 = BatchTestSupport.table(SPARK, lake, "silver.dim_products").filter("product_model = 'M500'").head();
        assertTrue(m500.isNullAt(m500.fieldIndex("warranty_months")), "absent values stay null; defaults apply where facts are joined");
    }

    @Test
    void aMissingOrEmptyFolderIsAOneLineError() throws Exception {
        UserError missing = assertThrows(UserError.class, () -> ReferenceFiles.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("is not a folder"));
        UserError empty = assertThrows(UserError.class, () -> ReferenceFiles.load(dir));
        assertTrue(empty.getMessage().startsWith("no reference files"));
    }
}
