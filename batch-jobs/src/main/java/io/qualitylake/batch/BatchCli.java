package io.qualitylake.batch;

import io.qualitylake.batch.job.BatchCommand;
import io.qualitylake.batch.sql.SqlCommand;
import io.qualitylake.cli.Cli;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Entry point of the batch module: {@code qlake batch|sql|trace|report}; runs under spark-submit too. */
@Command(name = "qlake", mixinStandardHelpOptions = true, version = "QualityLake 0.1.0",
        description = "QualityLake batch jobs (Spark + Delta).",
        subcommands = {BatchCommand.class, SqlCommand.class, io.qualitylake.batch.trace.TraceCommand.class, BatchCli.Report.class,
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

    @Command(name = "report", mixinStandardHelpOptions = true, description = "HTML report with charts (not built yet).")
    static class Report implements Callable<Integer> {
        @Parameters(arity = "0..*")
        java.util.List<String> args;

        @picocli.CommandLine.Option(names = {"--lake", "--out"})
        java.util.List<String> ignored;

        @Override
        public Integer call() {
            System.err.println("qlake report: not built yet (issue #8); see README for what exists");
            return NOT_BUILT;
        }
    }
}
