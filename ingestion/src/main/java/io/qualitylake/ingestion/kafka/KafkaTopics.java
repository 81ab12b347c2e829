package io.qualitylake.ingestion.kafka;

import io.qualitylake.schemas.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import io.qualitylake.cli.UserError;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates QualityLake's topics when they are missing (a no-op on a cluster where they exist). */
public final class KafkaTopics {
    private KafkaTopics() {}

    /** How long the admin client waits for a broker unless the client properties say otherwise. */
    static final int DEFAULT_API_TIMEOUT_MS = 6_000;

    /**
     * The user's client properties with bounded admin timeouts (a few seconds, not Kafka's default
     * minute), so an unreachable broker is a prompt one-line error; the user's file wins where it sets them.
     */
    static Properties adminProperties(Properties client) {
        Properties p = new Properties();
        p.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        p.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Integer.toString(DEFAULT_API_TIMEOUT_MS));
        p.setProperty(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, "5000");
        p.setProperty(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, "5000");
        p.putAll(client);
        return p;
    }

    public static void ensure(Properties client, int partitions, Topic... topics) {
        Properties props = adminProperties(client);
        long waitMs = Long.parseLong(props.getProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG)) + 2_000;
        try (Admin admin = create(props)) {
            Set<String> existing = admin.listTopics().names().get(waitMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : topics) {
                if (!existing.contains(t.topicName())) {
                    // replication: the cluster's default.replication.factor
                    missing.add(new NewTopic(t.topicName(), Optional.of(partitions), Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(waitMs, TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            java.util.Optional<String> refused = io.qualitylake.cli.KafkaRefusal.describe(e, client);
            if (refused.isPresent()) {
                throw new UserError(refused.get(), e);
            }
            if (TlsProbe.plaintextClientOnTlsBroker(client)) {
                throw new UserError("Kafka at " + client.getProperty("bootstrap.servers") + " speaks TLS, this client plain text:"
                        + " the broker is secured; give --kafka-properties with security.protocol=SASL_SSL, sasl.* and ssl.* settings", e);
            }
            throw new UserError("cannot reach Kafka at " + client.getProperty("bootstrap.servers") + ": " + reason(e, waitMs)
                    + " (is the broker running? for a local one: qlake kafka start)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An admin client; unusable settings (a SASL protocol without a JAAS config, a missing trust store) in one line. */
    static Admin create(Properties props) {
        try {
            return Admin.create(props);
        } catch (org.apache.kafka.common.KafkaException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            throw new UserError("the Kafka client settings are unusable: " + io.qualitylake.cli.Cli.firstLine(String.valueOf(root.getMessage()))
                    + " (check --kafka-properties)", e);
        }
    }

    /** Why the admin call failed, in words: Kafka's timeouts carry no useful message. */
    static String reason(Exception e, long waitMs) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (c instanceof TimeoutException || c instanceof org.apache.kafka.common.errors.TimeoutException) {
            return String.format("no answer within %.0f s", waitMs / 1000.0);
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getClass().getSimpleName() + ": " + c.getMessage().lines().findFirst().orElse("");
    }
}
