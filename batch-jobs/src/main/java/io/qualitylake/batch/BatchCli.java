package io.qualitylake.batch;

import io.qualitylake.batch.sql.SqlCommand;
import io.qualitylake.cli.Cli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Entry point of the batch module: {@code qlake batch|sql|trace|report}; runs under spark-submit too. */
@Command(name = "qlake", mixinStandardHelpOptions = true, version = "QualityLake 0.1.0",
        description = "QualityLake batch jobs (Spark + Delta).",
        subcommands = {BatchCommand.class, SqlCommand.class, io.qualitylake.batch.serve.ServeCommand.class, io.qualitylake.batch.serve.ServeBenchmark.class, io.qualitylake.batch.trace.TraceCommand.class, io.qualitylake.batch.report.ReportCommand.class,
                io.qualitylake.batch.reliability.ReliabilityBenchmark.class,
                io.qualitylake.batch.capability.CapabilityBenchmark.class})
public class BatchCli implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing command");
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new BatchCli(), args));
    }

    /** Exit status of commands that exist in the contract but are not built yet. */
    public static final int NOT_BUILT = 3;

}
