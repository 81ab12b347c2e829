package io.qualitylake.streaming;

import io.qualitylake.cli.Cli;
import io.qualitylake.streaming.cluster.ClusterCommand;
import io.qualitylake.streaming.ingest.IngestBenchmark;
import io.qualitylake.streaming.ingest.IngestCommand;
import io.qualitylake.streaming.monitor.MonitorBenchmark;
import io.qualitylake.streaming.monitor.MonitorCommand;
import picocli.CommandLine.Command;

/** Entry point of the streaming module: {@code qlake ingest}, {@code qlake monitor}. */
@Command(name = "qlake", mixinStandardHelpOptions = true, version = "QualityLake 0.1.0",
        description = "QualityLake streaming jobs (Flink).",
        subcommands = {IngestCommand.class, IngestBenchmark.class, MonitorCommand.class, MonitorBenchmark.class, ClusterCommand.class, io.qualitylake.streaming.cluster.FaultTestCommand.class})
public class StreamingCli implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing command");
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new StreamingCli(), args));
    }
}
