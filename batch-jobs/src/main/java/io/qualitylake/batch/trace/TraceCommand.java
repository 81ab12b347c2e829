package io.qualitylake.batch.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.cli.UserError;
import io.qualitylake.schemas.Identifiers;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qlake trace --lake DIR SERIAL}: a unit's genealogy, from a field failure back to line, batch and supplier lot. */
@Command(name = "trace", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A unit's genealogy: plant, line, batch, shift, components and lots (suspect lots marked),",
                "measurements (out-of-spec marked), defects, install and field failures."})
public class TraceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SERIAL", description = "The unit's serial_no.")
    String serial;

    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
    String lake;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!Identifiers.isValidId(serial)) {
            throw new UserError("'" + shortened(serial) + "' is not a serial number (1-64 characters [A-Za-z0-9._-], starting with a letter or digit)");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new UserError("--format must be text or json, got '" + format + "'");
        }
        Lake.requireLocalLake(lake); // before Spark starts
        SparkSession spark = SparkSessions.create(null, false);
        try {
            Lake l = Lake.existing(lake, spark.sparkContext().hadoopConfiguration());
            Genealogy g = Genealogy.of(spark, l, serial);
            if (!g.found()) {
                throw new UserError("no unit " + serial + " in the lake's silver tables (production, installs, field failures)");
            }
            System.out.print(format.equals("json")
                    ? new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(g) + "\n" : g.text());
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** A user's input echoed in an error: at most 40 characters, with its length when cut. */
    static String shortened(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "… (" + String.format("%,d", s.length()) + " characters)";
    }
}
