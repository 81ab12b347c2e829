package io.qualitylake.batch.sql;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.cli.UserError;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qlake sql}: Spark SQL over every lake table by name. */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Query lake tables by name: bronze.production|field|quarantine, silver.*, gold.*,",
                "ops.job_runs, ops.ingest_stats. Example: qlake sql --lake lake \"SELECT * FROM gold.reliability_summary\""})
public class SqlCommand implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
    String lake;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--tables", description = "List the tables with their row counts.")
    boolean tables;

    @Option(names = "--limit", defaultValue = "1000", description = "At most this many rows (0 = all; default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Option(names = "--at-run", paramLabel = "RUN_ID",
            description = "Answer as of that ops.job_runs run: every Delta table at the version it had when the run finished.")
    String atRun;

    @Parameters(arity = "0..1", paramLabel = "SQL")
    String sql;

    @Override
    public Integer call() throws Exception {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new UserError("--format must be table, csv or json");
        }
        if (!tables && (sql == null || sql.isBlank())) {
            throw new UserError("give a SQL query, or --tables");
        }
        SparkSession spark = SparkSessions.create(null, false);
        try {
            Lake l = Lake.existing(lake, spark.sparkContext().hadoopConfiguration());
            List<LakeCatalog.Registered> registered = LakeCatalog.register(spark, l);
            if (atRun != null) {
                registered = LakeCatalog.pinToRun(spark, l, registered, atRun);
            }
            if (tables) {
                for (LakeCatalog.Registered r : registered) {
                    long n = spark.table(r.name()).count();
                    System.out.printf("%-32s %-8s %,12d rows%n", r.name(), r.format(), n);
                }
                return 0;
            }
            Dataset<Row> result;
            try {
                result = spark.sql(sql);
            } catch (Exception e) { // Scala throws unchecked; AnalysisException covers parse errors and unknown tables
                if (e instanceof AnalysisException) {
                    throw new UserError(e.getMessage().lines().map(String::strip).filter(x -> !x.isEmpty())
                            .findFirst().orElse("bad SQL"));
                }
                throw e;
            }
            Dataset<Row> shown = limit > 0 ? result.limit(limit) : result;
            switch (format) {
                case "csv" -> {
                    System.out.println(String.join(",", shown.columns()));
                    for (Row r : flattened(shown).collectAsList()) {
                        System.out.println(csv(r));
                    }
                }
                case "json" -> shown.toJSON().collectAsList().forEach(System.out::println);
                default -> shown.show(limit > 0 ? limit : Integer.MAX_VALUE, false);
            }
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** Maps, structs and arrays as JSON text, so CSV cells are readable by any tool. */
    private static Dataset<Row> flattened(Dataset<Row> df) {
        org.apache.spark.sql.Column[] cols = java.util.Arrays.stream(df.schema().fields()).map(f -> {
            var t = f.dataType();
            boolean complex = t instanceof org.apache.spark.sql.types.MapType || t instanceof org.apache.spark.sql.types.StructType
                    || t instanceof org.apache.spark.sql.types.ArrayType;
            return complex ? org.apache.spark.sql.functions.to_json(df.col(f.name())).as(f.name()) : df.col(f.name());
        }).toArray(org.apache.spark.sql.Column[]::new);
        return df.select(cols);
    }

    private static String csv(Row r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = r.get(i);
            String s = v == null ? "" : v.toString();
            sb.append(s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
        }
        return sb.toString();
    }
}
