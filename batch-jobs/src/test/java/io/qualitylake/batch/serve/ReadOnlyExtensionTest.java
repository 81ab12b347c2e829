package io.qualitylake.batch.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.qualitylake.batch.sql.ReadOnlySql;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.junit.jupiter.api.Test;

/** The server's rule is qlake sql's, plus USE (BI drivers send it when a URL names a database). */
class ReadOnlyExtensionTest {
    static final ParserInterface PARSER = ReadOnlySql.standaloneParser();

    static String refusal(String sql) throws Exception {
        return ReadOnlyExtension.refusal(PARSER.parsePlan(sql));
    }

    @Test
    void queriesAndReadOnlyCommandsAndUseRun() throws Exception {
        for (String sql : new String[] {"SELECT * FROM gold.quality_kpis", "WITH a AS (SELECT 1) SELECT * FROM a",
                "SHOW TABLES IN gold", "DESCRIBE gold.line_grades", "USE gold", "EXPLAIN SELECT 1", "SHOW DATABASES"}) {
            assertNull(refusal(sql), sql);
        }
    }

    @Test
    void writesAndSettingsAreRefusedInOneLine() throws Exception {
        assertEquals("the lake is read-only through qlake serve: DROP TABLE is not a query (accepted: SELECT, WITH, VALUES, "
                + "SHOW, DESCRIBE, EXPLAIN, USE)", refusal("DROP TABLE gold.line_grades"));
        for (String sql : new String[] {"INSERT INTO gold.t SELECT 1", "CREATE TABLE gold.t (a INT)", "DELETE FROM gold.t",
                "SET spark.sql.shuffle.partitions=1", "ALTER TABLE gold.t ADD COLUMNS (b INT)", "CACHE TABLE gold.t",
                "MERGE INTO gold.t USING gold.s ON t.a = s.a WHEN MATCHED THEN DELETE", "VACUUM gold.t"}) {
            String r = refusal(sql);
            assertEquals(true, r != null && r.startsWith("the lake is read-only through qlake serve: "), sql + " → " + r);
        }
    }
}
