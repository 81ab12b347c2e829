package io.qualitylake.batch.report;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.spark.SparkSessions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qlake report --lake DIR --out DIR}: the HTML report with charts. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write an HTML report with charts (index.html + PNG files) from the lake's gold tables.")
public class ReportCommand implements Callable<Integer> {
    @Option(names = "--lake", paramLabel = "DIR", required = true, description = "Lake root.")
    String lake;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for index.html and the charts (created).")
    Path out;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Lake.requireLocalLake(lake); // before Spark starts
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw new io.qualitylake.cli.UserError("--out " + out + " is a file; give a folder for index.html and the charts");
        }
        SparkSession spark = SparkSessions.create(null, false);
        try {
            Lake l = Lake.existing(lake, spark.sparkContext().hadoopConfiguration());
            int sections = Report.write(spark, l, out);
            System.out.println("report: " + sections + " section(s) in " + out.toAbsolutePath().resolve("index.html"));
            return 0;
        } finally {
            spark.stop();
        }
    }
}
