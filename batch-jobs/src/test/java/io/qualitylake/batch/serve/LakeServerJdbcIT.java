package io.qualitylake.batch.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.batch.job.JobContext;
import io.qualitylake.batch.lake.ServeState;
import io.qualitylake.batch.sql.ServerQuery;
import io.qualitylake.batch.sql.SqlCommand;
import io.qualitylake.batch.testkit.BatchTestSupport;
import io.qualitylake.batch.testkit.TinyGoldLake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code qlake serve} for real: the server JVM started by the command on a tiny lake, with password auth, and
 * Apache Hive's own JDBC driver (standalone 3.1.3, isolated from our classes) as the client, the way DBeaver or
 * Superset connect. The oracle for every figure is the Delta table read directly by Spark in this JVM, not
 * through the server. One server start for the class; the test that commits a new run goes last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LakeServerJdbcIT {
    static final SparkSession SPARK = BatchTestSupport.spark();
    static final String USER = "analyst";
    static final String PASSWORD = "gold-Reader-7";
    static TinyGoldLake lake;
    static HiveJdbcClient client;
    static String url;
    static String address;

    @BeforeAll
    static void start() throws Exception {
        lake = TinyGoldLake.copy(SPARK, "qlake-serve");
        Path users = Files.createTempDirectory("qlake-serve-users").resolve("users");
        String hash = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        Files.writeString(users, "# BI readers\n" + USER + "=sha256:" + hash + "\nops=plain:another-one\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int exit = new CommandLine(new ServeCommand()).execute("--lake", lake.root.toString(), "--port", Integer.toString(port),
                "--auth", "password", "--users", users.toString(), "--memory", "1g", "--refresh-seconds", "1", "--detach");
        assertEquals(0, exit, "qlake serve --detach");
        address = "127.0.0.1:" + port;
        url = "jdbc:hive2://" + address + "/gold";
        client = new HiveJdbcClient();
        assertTrue(client.isolated(), "the driver must come from its own loader, not from the test class path");
    }

    @AfterAll
    static void stop() {
        if (lake != null) {
            ServeState.of(lake.root.toString()).process().stop(Duration.ofSeconds(20));
        }
    }

    @Test
    @Order(1)
    void listsTheLakeDatabasesAndTablesThroughTheDriverMetadata() throws Exception {
        try (Connection c = client.connect(url, USER, PASSWORD)) {
            List<String> schemas = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getSchemas()) {
                while (rs.next()) {
                    schemas.add(rs.getString("TABLE_SCHEM"));
                }
            }
            assertTrue(schemas.containsAll(List.of("bronze", "silver", "gold", "ops")), schemas.toString());
            List<String> gold = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "gold", "%", null)) {
                while (rs.next()) {
                    gold.add(rs.getString("TABLE_NAME"));
                }
            }
            assertTrue(gold.containsAll(List.of("quality_kpis", "defect_pareto")), gold.toString());
            List<String> silver = column(c, "SHOW TABLES IN silver", 2);
            assertTrue(silver.contains("production_units"), silver.toString());
            assertTrue(column(c, "SHOW TABLES IN ops", 2).contains("job_runs"));
        }
    }

    @Test
    @Order(2)
    void answersAGoldQueryWithTheRowsOfTheDeltaTable() throws Exception {
        try (Connection c = client.connect(url, USER, PASSWORD)) {
            Map<String, Long> viaServer = monthCounts(c);
            assertEquals(deltaMonthCounts(), viaServer);
            assertEquals(java.util.Set.of("2026-01", "2026-02"), viaServer.keySet(), "January and February are there");
            assertEquals(List.of(lake.firstRun.runId()), column(c, "SELECT DISTINCT run_id FROM quality_kpis", 1),
                    "the connection's database is gold, and every row comes from the first run");
        }
    }

    @Test
    @Order(3)
    void refusesInsertDropAndCreateAndTheTableStaysAsItWas() throws Exception {
        long versionBefore = deltaVersion();
        try (Connection c = client.connect(url, USER, PASSWORD); Statement s = c.createStatement()) {
            for (String write : List.of("INSERT INTO gold.quality_kpis SELECT * FROM gold.quality_kpis",
                    "DROP TABLE gold.quality_kpis", "CREATE TABLE gold.scratch (a INT) USING delta",
                    "DELETE FROM gold.quality_kpis", "SET spark.sql.shuffle.partitions=1")) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(write), write);
                assertTrue(e.getMessage().contains("read-only through qlake serve"), write + " → " + e.getMessage());
            }
            assertEquals(deltaMonthCounts(), monthCounts(c), "the connection still works and the rows are unchanged");
        }
        assertEquals(versionBefore, deltaVersion(), "no commit reached the table");
        assertFalse(Files.exists(lake.root.resolve("gold").resolve("scratch")));
    }

    @Test
    @Order(4)
    void aQueryErrorReachesTheClientAndTheServerKeepsServing() throws Exception {
        try (Connection c = client.connect(url, USER, PASSWORD); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT no_such_column FROM gold.quality_kpis"));
            assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
            assertEquals(List.of("2"), column(c, "SELECT 1 + 1", 1));
        }
    }

    @Test
    @Order(5)
    void refusesWrongCredentialsAndNeverLogsAPassword() throws Exception {
        assertThrows(SQLException.class, () -> client.connect(url, USER, "wrong-Password-1").close());
        assertThrows(SQLException.class, () -> client.connect(url, "nobody", PASSWORD).close());
        try (Connection c = client.connect(url, "ops", "another-one")) {
            assertEquals(List.of("1"), column(c, "SELECT 1", 1), "a plain: entry logs in too");
        }
        String log = Files.readString(ServeState.of(lake.root.toString()).log());
        for (String secret : List.of(PASSWORD, "wrong-Password-1", "another-one")) {
            assertFalse(log.contains(secret), "the server log holds a password");
        }
    }

    @Test
    @Order(6)
    void qlakeSqlFindsTheServerThroughTheLakeAndAnswersThroughIt() throws Exception {
        SqlCommand cmd = new SqlCommand();
        new CommandLine(cmd).parseArgs("--lake", lake.root.toString(), "SELECT 1");
        assertEquals(address, cmdServerAddress(cmd), "the running server is found through the lake folder");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ServerQuery.run(address, USER, PASSWORD, "SELECT period_month, count(*) AS n FROM gold.quality_kpis "
                + "GROUP BY period_month ORDER BY period_month", "csv", 0, new PrintStream(out, true, StandardCharsets.UTF_8));
        StringBuilder expected = new StringBuilder("period_month,n\n");
        new TreeMap<>(deltaMonthCounts()).forEach((m, n) -> expected.append(m).append(',').append(n).append('\n'));
        assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
        io.qualitylake.cli.UserError e = assertThrows(io.qualitylake.cli.UserError.class, () -> ServerQuery.run(address, USER,
                PASSWORD, "DROP TABLE gold.quality_kpis", "table", 0, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().startsWith("the lake is read-only through qlake serve: DROP TABLE"), e.getMessage());
    }

    @Test
    @Order(7)
    void picksUpATableCreatedAfterItStarted() throws Exception {
        SPARK.range(3).write().format("delta").save(lake.root.resolve("gold").resolve("late_table").toString());
        try (Connection c = client.connect(url, USER, PASSWORD)) {
            List<String> got = List.of();
            long deadline = System.nanoTime() + 120_000_000_000L; // the server looks every second (--refresh-seconds 1)
            while (got.isEmpty() && System.nanoTime() < deadline) { // a deadline, not a count of tries: a query may be slow
                try {
                    got = column(c, "SELECT count(*) FROM gold.late_table", 1);
                } catch (SQLException notYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(List.of("3"), got);
        }
    }

    /** Last: a connection opened before a batch job commits sees the new run's rows in its next query. */
    @Test
    @Order(8)
    void seesANewRunsRowsAfterTheJobCommitsWithoutARestart() throws Exception {
        try (Connection c = client.connect(url, USER, PASSWORD)) {
            assertEquals(List.of(lake.firstRun.runId()), column(c, "SELECT DISTINCT run_id FROM gold.quality_kpis", 1));
            JobContext second = lake.rerun(SPARK);
            assertTrue(second.rowsWritten().containsKey("gold.quality_kpis"));
            Map<String, String> runByMonth = new LinkedHashMap<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT period_month, min(run_id), max(run_id), max(as_of) FROM gold.quality_kpis GROUP BY period_month ORDER BY 1")) {
                while (rs.next()) {
                    assertEquals(rs.getString(2), rs.getString(3), "one run per month");
                    runByMonth.put(rs.getString(1), rs.getString(2) + "@" + rs.getString(4));
                }
            }
            assertEquals(Map.of("2026-01", lake.firstRun.runId() + "@" + TinyGoldLake.FIRST_AS_OF,
                    "2026-02", second.runId() + "@" + TinyGoldLake.SECOND_AS_OF), runByMonth,
                    "February replaced by the second run, January left as the first run wrote it");
            assertEquals(deltaMonthCounts(), monthCounts(c));
        }
    }

    private static String cmdServerAddress(SqlCommand cmd) throws Exception {
        java.lang.reflect.Method m = SqlCommand.class.getDeclaredMethod("serverAddress");
        m.setAccessible(true);
        return (String) m.invoke(cmd);
    }

    private static List<String> column(Connection c, String sql, int col) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(col));
            }
        }
        return out;
    }

    private static Map<String, Long> monthCounts(Connection c) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT period_month, count(*) FROM gold.quality_kpis GROUP BY period_month")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    /** The oracle: the Delta table read by Spark in this JVM. */
    private static Map<String, Long> deltaMonthCounts() {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : BatchTestSupport.table(SPARK, lake.root, "gold.quality_kpis").groupBy("period_month").count().collectAsList()) {
            out.put(r.getString(0), r.getLong(1));
        }
        return out;
    }

    private static long deltaVersion() {
        return io.delta.tables.DeltaTable.forPath(SPARK, lake.root.resolve("gold").resolve("quality_kpis").toString())
                .history(1).head().getLong(0);
    }
}
