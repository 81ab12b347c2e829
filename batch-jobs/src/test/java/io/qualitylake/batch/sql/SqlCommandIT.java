package io.qualitylake.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.cli.UserError;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * qlake sql on a small real lake (Delta tables on disk): read-only whatever the statement, no
 * silent truncation, ops.dq_results by name, numbers for people in table output and raw in CSV/JSON.
 */
class SqlCommandIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static Path root;
    static Lake lake;

    /** 1,501 rows: more than the table limit, with values that print badly raw. */
    static final int MANY = 1_501;

    @BeforeAll
    static void lake() throws Exception {
        root = Files.createTempDirectory("qlake-sql");
        lake = Lake.at(root.toString());
        SPARK.range(MANY).selectExpr("id", "CAST(id AS DOUBLE) / 1000 AS x").write().format("delta").save(lake.gold("many"));
        StructType small = new StructType().add("line_id", DataTypes.StringType).add("spec_high", DataTypes.DoubleType)
                .add("tiny", DataTypes.DoubleType).add("units", DataTypes.LongType).add("level_cn", DataTypes.StringType);
        SPARK.createDataFrame(List.of(RowFactory.create("L1", 0.8500000000000001, 6.29373641913844E-7, 11_328L, "经验级"),
                RowFactory.create("L2", 1.0 / 3, 12_345.678, 7L, "卓越级")), small)
                .write().format("delta").save(lake.gold("small"));
        SPARK.createDataFrame(List.of(RowFactory.create("silver.defects", "isComplete(defect_code)", "Success")),
                        new StructType().add("table", DataTypes.StringType).add("constraint", DataTypes.StringType)
                                .add("status", DataTypes.StringType))
                .write().format("delta").mode(SaveMode.Append).save(lake.ops("dq_results"));
    }

    record Result(int exit, String out, String err) {}

    /** The command as the CLI parses it, run against the shared test session (the command itself would stop it). */
    static Result sql(String... args) throws Exception {
        SqlCommand c = new SqlCommand();
        new CommandLine(c).parseArgs(args);
        c.checkBeforeEngine();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream target = c.out == null ? o : new PrintStream(Files.newOutputStream(c.out), true, StandardCharsets.UTF_8);
        int exit = c.execute(SPARK, target, e);
        target.close();
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static final List<String> WRITES = List.of(
            "DELETE FROM gold.small WHERE units > 10",
            "INSERT INTO gold.small SELECT * FROM gold.small",
            "INSERT OVERWRITE gold.small SELECT * FROM gold.small WHERE units < 10",
            "WITH s AS (SELECT * FROM gold.small) INSERT INTO gold.small SELECT * FROM s",
            "FROM gold.small INSERT INTO gold.small SELECT *",
            "UPDATE gold.small SET units = 0",
            "MERGE INTO gold.small t USING gold.small s ON t.line_id = s.line_id WHEN MATCHED THEN DELETE",
            "DROP TABLE gold.small",
            "CREATE TABLE gold.evil USING delta AS SELECT 1 AS a",
            "ALTER TABLE gold.small ADD COLUMNS (evil INT)",
            "TRUNCATE TABLE gold.small",
            "SET spark.sql.shuffle.partitions = 1",
            "USE gold",
            "CACHE TABLE gold.small",
            "CREATE TEMPORARY VIEW v AS SELECT 1",
            "INSERT OVERWRITE DIRECTORY '/tmp/qlake-evil' USING parquet SELECT * FROM gold.small",
            "EXPLAIN DELETE FROM gold.small",
            "VACUUM gold.small RETAIN 0 HOURS",
            "OPTIMIZE gold.small",
            "RESTORE TABLE gold.small TO VERSION AS OF 0",
            "CONVERT TO DELTA parquet.`/tmp/qlake-evil`",
            "REFRESH TABLE gold.small",
            "ADD JAR /tmp/evil.jar");

    @Test
    void everyStatementThatIsNotAQueryIsRefusedInOneLineAndTheLakeIsUnchanged() throws Exception {
        long version = DeltaTable.forPath(SPARK, lake.gold("small")).history(1).head().getLong(0);
        for (String w : WRITES) {
            UserError e = assertThrows(UserError.class, () -> sql("--lake", root.toString(), w), w);
            assertTrue(e.getMessage().startsWith("qlake sql is read-only: "), w + " → " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            // the session's own parser (what would run the statement) refuses it too
            assertThrows(UserError.class, () -> SqlCommand.run(SPARK, w), w);
        }
        assertEquals("qlake sql is read-only: DELETE is not a query (accepted: SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN)",
                assertThrows(UserError.class, () -> sql("--lake", root.toString(), WRITES.get(0))).getMessage());
        assertEquals(version, DeltaTable.forPath(SPARK, lake.gold("small")).history(1).head().getLong(0), "no commit");
        assertEquals(2, SPARK.read().format("delta").load(lake.gold("small")).count());
        assertFalse(Files.exists(Path.of("/tmp/qlake-evil")));
    }

    @Test
    void queriesAndReadOnlyCommandsRun() throws Exception {
        for (String q : List.of("SELECT line_id FROM gold.small", "WITH s AS (SELECT * FROM gold.small) SELECT count(*) FROM s",
                "VALUES (1, 'a')", "SHOW TABLES IN gold", "DESCRIBE gold.small", "DESCRIBE HISTORY gold.small",
                "EXPLAIN SELECT * FROM gold.small", "SELECT * FROM gold.small VERSION AS OF 0")) {
            assertEquals(0, sql("--lake", root.toString(), q).exit(), q);
        }
        assertTrue(sql("--lake", root.toString(), "SHOW TABLES IN gold").out().contains("small"));
    }

    @Test
    void aSyntaxErrorIsOneLine() {
        UserError e = assertThrows(UserError.class, () -> sql("--lake", root.toString(), "SELEC * FROM gold.small"));
        assertEquals("SQL syntax error: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'.(line 1, pos 0)", e.getMessage());
    }

    @Test
    void tableOutputStopsAtTheLimitAndSaysSo() throws Exception {
        Result r = sql("--lake", root.toString(), "SELECT * FROM gold.many ORDER BY id");
        assertEquals(2 + 1_000 + 1, r.out().lines().count(), "header, rule, 1,000 rows, row count");
        assertEquals("qlake sql: showing 1,000 of ≥1,001 rows; use --limit 0 or --format csv --out FILE for all", r.err().strip());
        Result all = sql("--lake", root.toString(), "--limit", "0", "SELECT * FROM gold.many");
        assertEquals(2 + MANY + 1, all.out().lines().count());
        assertTrue(all.out().strip().endsWith("(1,501 rows)"), all.out().substring(all.out().length() - 40));
        assertEquals("", all.err());
        Result exact = sql("--lake", root.toString(), "--limit", "1501", "SELECT * FROM gold.many");
        assertEquals("", exact.err(), "exactly the limit: nothing left out");
    }

    @Test
    void csvAndJsonExportEveryRowByDefault() throws Exception {
        Result csv = sql("--lake", root.toString(), "--format", "csv", "SELECT * FROM gold.many");
        assertEquals(1 + MANY, csv.out().lines().count());
        assertEquals("", csv.err());
        Result json = sql("--lake", root.toString(), "--format", "json", "SELECT * FROM gold.many");
        assertEquals(MANY, json.out().lines().count());
        Result limited = sql("--lake", root.toString(), "--format", "csv", "--limit", "10", "SELECT * FROM gold.many");
        assertEquals(1 + 10, limited.out().lines().count());
        assertEquals("qlake sql: showing 10 of ≥11 rows; use --limit 0 for all", limited.err().strip());
        Path file = root.resolve("many.csv");
        Result toFile = sql("--lake", root.toString(), "--format", "csv", "--out", file.toString(), "SELECT * FROM gold.many");
        assertEquals(1 + MANY, Files.readAllLines(file).size());
        assertEquals("qlake sql: 1,501 rows to " + file, toFile.err().strip());
    }

    @Test
    void numbersAreRoundedForPeopleInTablesAndRawInCsvAndJson() throws Exception {
        String table = sql("--lake", root.toString(), "SELECT * FROM gold.small ORDER BY line_id").out();
        assertTrue(table.contains(" 0.85 "), table);
        assertFalse(table.contains("0.8500000000000001"), table);
        assertTrue(table.contains("6.29374e-7"), table);
        assertTrue(table.contains("11,328"), table);
        assertTrue(table.contains("12,345.7"), table);
        assertTrue(table.contains("0.333333"), table);
        assertTrue(table.contains("经验级"), table);
        String csv = sql("--lake", root.toString(), "--format", "csv", "SELECT * FROM gold.small ORDER BY line_id").out();
        assertTrue(csv.contains("L1,0.8500000000000001,6.29373641913844E-7,11328,经验级"), csv);
        String json = sql("--lake", root.toString(), "--format", "json", "SELECT * FROM gold.small ORDER BY line_id").out();
        assertTrue(json.contains("\"spec_high\":0.8500000000000001"), json);
    }

    @Test
    void aStatementRegistersOnlyTheTablesItNames() throws Exception {
        List<LakeCatalog.Registered> registered = LakeCatalog.register(SPARK, lake, LakeCatalog.namedIn(
                "SELECT units FROM gold.small"));
        assertEquals(List.of("gold.small"), registered.stream().map(LakeCatalog.Registered::name).toList());
        assertEquals("11328\n7", sql("--lake", root.toString(), "--format", "csv", "SELECT units FROM gold.small ORDER BY units DESC")
                .out().lines().skip(1).collect(java.util.stream.Collectors.joining("\n")));
    }

    @Test
    void dqResultsAreQueryableByNameAndListed() throws Exception {
        String list = sql("--lake", root.toString(), "--tables").out();
        assertTrue(list.contains("ops.dq_results"), list);
        String rows = sql("--lake", root.toString(), "--format", "csv", "SELECT status FROM ops.dq_results").out();
        assertEquals(List.of("status", "Success"), rows.lines().toList());
    }

    @Test
    void optionMistakesAreOneLineBeforeTheEngine() {
        assertEquals("--format must be table, csv or json, got 'xml'",
                assertThrows(UserError.class, () -> sql("--lake", root.toString(), "--format", "xml", "SELECT 1")).getMessage());
        assertEquals("--limit must be 0 (all rows) or more, got -5",
                assertThrows(UserError.class, () -> sql("--lake", root.toString(), "--limit", "-5", "SELECT 1")).getMessage());
        assertEquals("give a SQL statement, or --tables",
                assertThrows(UserError.class, () -> sql("--lake", root.toString())).getMessage());
    }
}
