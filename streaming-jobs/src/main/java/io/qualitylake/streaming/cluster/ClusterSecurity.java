package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import io.qualitylake.ingestion.kafka.KafkaSecurity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code qlake cluster up --secure}: the cluster's Kafka with SASL_SSL (SCRAM-SHA-512), a self-signed CA and ACLs
 * ({@link KafkaSecurity}). Brokers and controllers authenticate each other with mutual TLS on their own listeners
 * (brokers' TLS ports base+61..63); clients use SASL_SSL on the usual ports base+11..13. Once the brokers serve,
 * the users and ACLs are created and {@code DIR/client.properties} becomes the application user's file, so the
 * fault test and the jobs submitted to the cluster run as that user. Secured once, a DIR stays secured.
 */
final class ClusterSecurity {
    private ClusterSecurity() {}

    static int internalPort(ClusterLayout layout, int broker) {
        return layout.basePort() + 60 + broker;
    }

    static boolean enabled(ClusterLayout layout) {
        return KafkaSecurity.enabled(layout.dir());
    }

    /** Makes the CA, keystore and passwords (kept if DIR has them), after checking the brokers' TLS ports are free. */
    static void prepare(ClusterLayout layout) {
        for (int i = 1; i <= layout.brokers(); i++) {
            BackgroundProcess.requireFree("localhost", internalPort(layout, i),
                    "the brokers' TLS port (--base-port+" + (60 + i) + ")");
        }
        KafkaSecurity.create(layout.dir());
    }

    /** Listener, TLS, SASL and ACL settings of broker {@code i}, when DIR is secured. */
    static void applyBroker(ClusterLayout layout, Properties p, int i) {
        if (enabled(layout)) {
            KafkaSecurity.open(layout.dir()).applyBroker(p, layout.brokerPort(i), internalPort(layout, i), layout.controllerPort(i), false);
        }
    }

    /** The cluster's own admin client settings: mutual TLS as the broker principal (a super user) when secured. */
    static void adminProperties(ClusterLayout layout, Properties p) {
        if (enabled(layout)) {
            p.putAll(KafkaSecurity.open(layout.dir()).internalAdmin(internalBootstrap(layout)));
        }
    }

    /** Users, ACLs and client files; {@code client.properties} becomes the application user's. */
    static void provision(ClusterLayout layout, Duration timeout) {
        if (!enabled(layout)) {
            return;
        }
        KafkaSecurity s = KafkaSecurity.open(layout.dir());
        Properties extra = new Properties();
        extra.setProperty("default.api.timeout.ms", "60000");
        extra.setProperty("request.timeout.ms", "30000");
        s.provision(internalBootstrap(layout), layout.bootstrap(), extra, timeout);
        try {
            KafkaSecurity.createOwnerOnly(layout.clientProperties());
            Files.copy(s.clientFile(KafkaSecurity.APP), layout.clientProperties(), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code up} prints for a secured cluster. */
    static List<String> describe(ClusterLayout layout) {
        List<String> lines = new ArrayList<>();
        if (enabled(layout)) {
            KafkaSecurity s = KafkaSecurity.open(layout.dir());
            lines.add("kafka secured: SASL_SSL + SCRAM-SHA-512 + ACLs; --kafka-properties FILE, one file per user:");
            lines.add("  " + s.clientFile(KafkaSecurity.APP) + "  (qlake: the qlake.* topics, groups, transactions; also "
                    + layout.clientProperties().getFileName() + ")");
            lines.add("  " + s.clientFile(KafkaSecurity.ADMIN) + "  (admin: super user)");
            lines.add("  " + s.clientFile(KafkaSecurity.GUEST) + "  (guest: no ACL)");
        }
        return lines;
    }

    private static String internalBootstrap(ClusterLayout layout) {
        List<String> s = new ArrayList<>();
        for (int i = 1; i <= layout.brokers(); i++) {
            s.add("localhost:" + internalPort(layout, i));
        }
        return String.join(",", s);
    }
}
