package io.qualitylake.batch.sql;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.cli.UserError;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.CommandExecutionMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qlake sql}: read-only Spark SQL over every lake table by name. */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Query lake tables by name (read-only): bronze.production|field|quarantine, silver.*, gold.*,",
                "ops.job_runs, ops.dq_results, ops.ingest_stats. Accepts SELECT, WITH, VALUES, SHOW, DESCRIBE",
                "and EXPLAIN; anything that would change the lake is refused. See docs/querying-gold.md.",
                "Example: qlake sql --lake lake \"SELECT * FROM gold.reliability_summary\""})
public class SqlCommand implements Callable<Integer> {
    /** Rows shown in table output unless --limit says otherwise. */
    public static final int TABLE_LIMIT = 1000;
    /** Where {@code qlake sql --server} takes a password from (never from the command line, which others can read). */
    public static final String PASSWORD_ENV = "QLAKE_PASSWORD";

    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
    String lake;

    @Option(names = "--format", defaultValue = "table", paramLabel = "table|csv|json",
            description = "table (numbers rounded for reading), csv or json (one object a line; raw values) (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N rows; 0 = all. Default: " + TABLE_LIMIT + " for table output, all rows for csv and json. "
                    + "When rows are left out, stderr says so.")
    Integer limit;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the result to FILE instead of standard output.")
    Path out;

    @Option(names = "--tables", description = "List the tables with their row counts.")
    boolean tables;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Option(names = "--at-run", paramLabel = "RUN_ID",
            description = "Answer as of that ops.job_runs run: every Delta table at the version it had when the run finished.")
    String atRun;

    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Send the query to a running qlake serve (default: the server of --lake when one runs; "
                    + "otherwise Spark starts in this process). Password from the environment variable " + PASSWORD_ENV + ".")
    String server;

    @Option(names = "--local", description = "Run Spark in this process even when a qlake serve runs for the lake.")
    boolean local;

    @Option(names = "--user", paramLabel = "NAME", description = "User name for a server started with --auth password.")
    String user;

    @Parameters(arity = "0..1", paramLabel = "SQL", description = "One statement (quote it for the shell).")
    String sql;

    @Override
    public Integer call() throws Exception {
        String address = serverAddress();
        if (address != null) {
            checkOptions();
            return viaServer(address);
        }
        checkBeforeEngine();
        SparkSession spark = SparkSessions.create(null, false);
        try (PrintStream target = output()) {
            return execute(spark, target, System.err);
        } finally {
            spark.stop();
        }
    }

    /** Every user mistake that can be seen without an engine: options, --out, the lake folder, SQL syntax and read-only. */
    void checkBeforeEngine() {
        checkOptions();
        if (sql != null && !sql.isBlank()) {
            ReadOnlySql.check(ReadOnlySql.standaloneParser(), sql);
        }
    }

    /**
     * The server to ask: --server, else the running server of a local --lake. None for --tables and --at-run
     * (they need this process's own catalog), and none when no server runs.
     */
    String serverAddress() {
        if (tables || atRun != null) {
            if (server != null) {
                throw new UserError("--server answers queries; --tables and --at-run run Spark here (leave out --server)");
            }
            return null;
        }
        if (server != null) {
            if (local) {
                throw new UserError("give either --server or --local, not both");
            }
            return ServerQuery.checkAddress(server);
        }
        return local || lake == null ? null : io.qualitylake.batch.lake.ServeState.of(lake).runningAddress().orElse(null);
    }

    private int viaServer(String address) throws IOException {
        int effective = limit != null ? limit : format.equals("table") ? TABLE_LIMIT : 0;
        try (PrintStream target = output()) {
            ResultWriter.Written w = ServerQuery.run(address, user, System.getenv(PASSWORD_ENV), sql, format, effective, target);
            if (w.more()) {
                System.err.println(ResultWriter.leftOutMessage(w.rows(), format));
            } else if (out != null) {
                System.err.printf("qlake sql: %,d rows to %s%n", w.rows(), out);
            }
        }
        return 0;
    }

    /** Options, --out and the lake folder: everything but the SQL. */
    void checkOptions() {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new UserError("--format must be table, csv or json, got '" + format + "'");
        }
        if (limit != null && limit < 0) {
            throw new UserError("--limit must be 0 (all rows) or more, got " + limit);
        }
        boolean hasSql = sql != null && !sql.isBlank();
        if (tables == hasSql) {
            throw new UserError(tables ? "give either --tables or a SQL statement, not both" : "give a SQL statement, or --tables");
        }
        if (out != null && (Files.isDirectory(out) || (out.toAbsolutePath().getParent() != null
                && !Files.isDirectory(out.toAbsolutePath().getParent())))) {
            throw new UserError("--out " + out + " must be a file in an existing folder");
        }
        Lake.requireLocalLake(lake);
    }

    /** Registers the lake's tables in {@code spark} and writes the table list or the query result to {@code target}. */
    int execute(SparkSession spark, PrintStream target, PrintStream err) throws Exception {
        Lake l = Lake.existing(lake, spark.sparkContext().hadoopConfiguration());
        // --tables lists every table; a statement gets the tables it names (a one-off query on a year's lake
        // would otherwise list every bronze partition and read every Delta log first)
        List<LakeCatalog.Registered> registered = LakeCatalog.register(spark, l,
                tables ? name -> true : LakeCatalog.namedIn(sql));
        if (atRun != null) {
            registered = LakeCatalog.pinToRun(spark, l, registered, atRun);
        }
        if (tables) {
            for (LakeCatalog.Registered r : registered) {
                long n = spark.table(r.name()).count();
                target.printf("%-32s %-8s %,12d rows%n", r.name(), r.format(), n);
            }
            target.flush();
            return 0;
        }
        Dataset<Row> result = run(spark, sql);
        int effective = limit != null ? limit : format.equals("table") ? TABLE_LIMIT : 0;
        ResultWriter.Written w = ResultWriter.write(result, format, effective, target);
        if (w.more()) {
            err.println(ResultWriter.leftOutMessage(w.rows(), format));
        } else if (out != null) {
            err.printf("qlake sql: %,d rows to %s%n", w.rows(), out);
        }
        return 0;
    }

    /** Parses with the session's parser, refuses anything that is not read-only, then runs the query. */
    static Dataset<Row> run(SparkSession spark, String sql) {
        LogicalPlan plan = ReadOnlySql.check(spark.sessionState().sqlParser(), sql);
        try {
            if (ReadOnlySql.isQuery(plan)) {
                // analysed without executing anything: writes hidden in a query would show up as commands here
                ReadOnlySql.checkAnalyzed(spark.sessionState().executePlan(plan, CommandExecutionMode.SKIP()).analyzed());
            }
            return spark.sql(sql);
        } catch (Exception e) { // Scala throws unchecked; AnalysisException covers unknown tables and columns
            if (e instanceof AnalysisException) {
                throw new UserError(ReadOnlySql.firstLine(e.getMessage()));
            }
            throw e;
        }
    }

    private PrintStream output() throws IOException {
        OutputStream os = out != null ? Files.newOutputStream(out) : new OutputStream() {
            @Override
            public void write(int b) {
                System.out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                System.out.write(b, off, len);
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {
                flush(); // never close standard output
            }
        };
        return new PrintStream(os, false, StandardCharsets.UTF_8);
    }
}
