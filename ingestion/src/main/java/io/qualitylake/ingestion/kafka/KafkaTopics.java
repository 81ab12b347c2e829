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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates QualityLake's topics when they are missing (a no-op on a cluster where they exist). */
public final class KafkaTopics {
    private KafkaTopics() {}

    public static void ensure(Properties client, int partitions, Topic... topics) {
        try (Admin admin = Admin.create(client)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topic t : topics) {
                if (!existing.contains(t.topicName())) {
                    // replication: the cluster's default.replication.factor
                    missing.add(new NewTopic(t.topicName(), Optional.of(partitions), Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new UserError("cannot reach Kafka at " + client.getProperty("bootstrap.servers")
                    + " to create topics: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
