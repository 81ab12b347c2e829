package io.qualitylake.batch.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.BatchCommand;
import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.job.JobRunner;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.job.Tables;
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

/**
 * Reference files → silver.dim_*: validated, bad rows reported with file and line; a bad row stops
 * the job with nothing changed unless the user opts in, and even then no existing entity disappears.
 */
class ReferenceJobIT {
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
        JobContext ctx = run(lake, dir, true);
        assertEquals(Map.of("silver.dim_products", 2L, "silver.dim_plants", 1L), ctx.rowsWritten());
        assertEquals("7", ctx.notes().get("skipped_bad_rows"));
        assertEquals("0", ctx.notes().get("kept_existing_rows"), "a new lake has nothing to keep");
        Row m500 = BatchTestSupport.table(SPARK, lake, "silver.dim_products").filter("product_model = 'M500'").head();
        assertTrue(m500.isNullAt(m500.fieldIndex("warranty_months")), "absent values stay null; defaults apply where facts are joined");
    }

    static JobContext run(Path lake, Path reference, boolean skipBadRows) throws Exception {
        JobContext ctx = new JobContext(Lake.at(lake.toString()), null, reference.toString(),
                skipBadRows ? Map.of(ReferenceJob.SKIP_BAD_ROWS_OPTION, "true") : Map.of());
        return new JobRunner(SPARK).run(new ReferenceJob(), ctx, "reference");
    }

    static final String P01 = "{\"plant_id\":\"P01\",\"enterprise_id\":\"E01\",\"name\":\"North\"}";
    static final String P02 = "{\"plant_id\":\"P02\",\"enterprise_id\":\"E01\",\"name\":\"South\"}";
    static final String P03 = "{\"plant_id\":\"P03\",\"enterprise_id\":\"E02\",\"name\":\"West\"}";

    private List<String> plants(Path lake) {
        return BatchTestSupport.table(SPARK, lake, "silver.dim_plants").orderBy("plant_id").collectAsList().stream()
                .map(r -> r.getString(0) + "/" + r.getString(2)).toList();
    }

    @Test
    void oneBadLineChangesNothingAndNamesFileLineAndReason() throws Exception {
        Path lake = dir.resolve("lake");
        Path ref = Files.createDirectories(dir.resolve("ref"));
        Files.writeString(ref.resolve("plants.jsonl"), String.join("\n", P01, P02, P03) + "\n");
        run(lake, ref, false);
        long version = Tables.version(SPARK, Lake.at(lake.toString()).silver("dim_plants"));
        // the hostile file: P02's id is a path, P03's line is cut off (invalid JSON), P01 renamed
        Files.writeString(ref.resolve("plants.jsonl"), String.join("\n", P01.replace("North", "Nord"),
                P02.replace("\"P02\"", "\"../../x\""), P03.substring(0, 20)) + "\n");
        UserError e = assertThrows(UserError.class, () -> run(lake, ref, false));
        assertEquals("plants.jsonl:2: plant_id '../../x' breaks the identifier rule (and 1 more bad rows); nothing was loaded "
                + "(fix the file, or --skip-bad-rows to load the valid rows and keep existing entities)", e.getMessage());
        assertEquals(version, Tables.version(SPARK, Lake.at(lake.toString()).silver("dim_plants")), "no commit");
        assertEquals(List.of("P01/North", "P02/South", "P03/West"), plants(lake));
        Row run = BatchTestSupport.table(SPARK, lake, "ops.job_runs").orderBy(org.apache.spark.sql.functions.desc("started_at")).head();
        assertEquals("FAILED", run.getAs("status"), "the refused run is in ops.job_runs");

        // opted in: the valid row loads, and the entities whose lines were bad stay as they were
        JobContext ctx = run(lake, ref, true);
        assertEquals(List.of("P01/Nord", "P02/South", "P03/West"), plants(lake));
        assertEquals("2", ctx.notes().get("skipped_bad_rows"));
        assertEquals("2", ctx.notes().get("kept_existing_rows"));
        assertEquals("skipped_bad_rows: 2; kept_existing_rows: 2", BatchCommand.notes(ctx.notes()), "a readable one-line summary");
        assertEquals("silver.dim_plants 3", BatchCommand.summary(ctx.rowsWritten()));
    }

    @Test
    void aMissingOrEmptyFolderIsAOneLineError() throws Exception {
        UserError missing = assertThrows(UserError.class, () -> ReferenceFiles.load(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("is not a folder"));
        UserError empty = assertThrows(UserError.class, () -> ReferenceFiles.load(dir));
        assertTrue(empty.getMessage().startsWith("no reference files"));
    }
}
