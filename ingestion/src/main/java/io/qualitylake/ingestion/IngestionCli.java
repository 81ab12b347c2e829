package io.qualitylake.ingestion;

import io.qualitylake.cli.Cli;
import io.qualitylake.ingestion.kafka.KafkaCommand;
import io.qualitylake.ingestion.publish.PublishCommand;
import io.qualitylake.ingestion.simulate.SimulateCommand;
import picocli.CommandLine.Command;

/** Entry point of the ingestion module: {@code qlake kafka|simulate|publish}. */
@Command(name = "qlake", mixinStandardHelpOptions = true, version = "QualityLake 0.1.0",
        description = "QualityLake ingestion tools.",
        subcommands = {KafkaCommand.class, SimulateCommand.class, PublishCommand.class})
public class IngestionCli implements Runnable {
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "missing command");
    }

    public static void main(String[] args) {
        System.exit(Cli.run(new IngestionCli(), args));
    }
}
