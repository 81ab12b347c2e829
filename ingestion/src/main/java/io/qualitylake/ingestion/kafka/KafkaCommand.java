package io.qualitylake.ingestion.kafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qlake kafka start|stop|status}: the local development broker. */
@Command(name = "kafka", mixinStandardHelpOptions = true,
        description = "A local single-node KRaft Kafka broker for development (separate JVM, data kept in --dir).",
        subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class})
public class KafkaCommand implements Callable<Integer> {
    static final String DEFAULT_DIR = ".qlake/kafka";

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                "missing subcommand: start, stop or status");
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the broker (formats --dir on first use) and print its bootstrap address.")
    static class Start implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "Broker state directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--port", paramLabel = "P", defaultValue = "" + LocalKafka.DEFAULT_PORT,
                description = "Client port (default: ${DEFAULT-VALUE}); the controller uses P+1.")
        int port;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "90",
                description = "How long to wait for the broker to be ready (default: ${DEFAULT-VALUE}).")
        int timeoutSeconds;

        @Option(names = "--secure", description = {"SASL_SSL (SCRAM-SHA-512 users, a self-signed CA made here) and ACLs;",
                "the brokers' own TLS port is P+2; client files of the users admin, qlake, guest in DIR/security/"})
        boolean secure;

        @Option(names = "--verbose", description = "Show engine logs.")
        boolean verbose;

        @Override
        public Integer call() {
            LocalKafka kafka = new LocalKafka(dir);
            boolean already = kafka.runningBroker().isPresent();
            String bootstrap = kafka.start(port, Duration.ofSeconds(timeoutSeconds), secure);
            System.out.println(already ? "Kafka broker already running at " + bootstrap
                    : "Kafka broker ready at " + bootstrap + " (data in " + kafka.dir() + ")");
            System.out.println("bootstrap=" + bootstrap);
            if (KafkaSecurity.enabled(kafka.dir())) {
                KafkaSecurity s = KafkaSecurity.open(kafka.dir());
                System.out.println("secured: SASL_SSL + SCRAM-SHA-512 + ACLs; pass one of these with --kafka-properties:");
                System.out.println("  " + s.clientFile(KafkaSecurity.APP) + "  (qlake: the qlake.* topics, groups, transactions)");
                System.out.println("  " + s.clientFile(KafkaSecurity.ADMIN) + "  (admin: super user)");
                System.out.println("  " + s.clientFile(KafkaSecurity.GUEST) + "  (guest: no ACL)");
            }
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop the broker of --dir.")
    static class Stop implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "Broker state directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--port", paramLabel = "P", hidden = true, description = "Accepted for symmetry; ignored.")
        Integer port;

        @Option(names = "--verbose", description = "Show engine logs.")
        boolean verbose;

        @Override
        public Integer call() {
            LocalKafka kafka = new LocalKafka(dir);
            boolean was = kafka.stop(Duration.ofSeconds(30));
            System.out.println(was ? "Kafka broker stopped (" + kafka.dir() + ")" : "no broker running for " + kafka.dir());
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the broker of --dir runs.")
    static class Status implements Callable<Integer> {
        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "Broker state directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() {
            LocalKafka kafka = new LocalKafka(dir);
            if (kafka.runningBroker().isPresent()) {
                System.out.println("running at localhost:" + kafka.readPort().orElse(LocalKafka.DEFAULT_PORT));
                return 0;
            }
            System.out.println("not running");
            return 3;
        }
    }
}
