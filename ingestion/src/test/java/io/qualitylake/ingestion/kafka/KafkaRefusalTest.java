package io.qualitylake.ingestion.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.KafkaRefusal;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** Kafka's login and ACL refusals, however wrapped, become one line naming the broker and the user (never the password). */
class KafkaRefusalTest {
    private static Properties client() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "localhost:49011");
        p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"guest\" password=\"s3cret\";");
        return p;
    }

    @Test
    void topicAclRefusalInsideWrappers() {
        Throwable t = new IllegalStateException("cannot create topic", new ExecutionException(new TopicAuthorizationException(java.util.Set.of("qlake.grades.v1"))));
        String line = KafkaRefusal.describe(t, client()).orElseThrow();
        assertEquals("Kafka at localhost:49011 (user 'guest') refused access to the topics: Not authorized to access topics: [qlake.grades.v1]"
                + " (no ACL allows it for this user)", line);
        assertTrue(!line.contains("s3cret"));
    }

    @Test
    void loginRefusal() {
        String line = KafkaRefusal.describe(new ExecutionException(new SaslAuthenticationException("Authentication failed: invalid credentials")), client())
                .orElseThrow();
        assertEquals("Kafka at localhost:49011 (user 'guest') refused the login: Authentication failed: invalid credentials"
                + " (check the user and password in --kafka-properties)", line);
    }

    @Test
    void groupRefusalWithoutClientSettings() {
        assertEquals(Optional.of("Kafka refused access to the consumer group: Not authorized to access group: g (no ACL allows it for this user)"),
                KafkaRefusal.describe(new RuntimeException(new GroupAuthorizationException("Not authorized to access group: g"))));
    }

    /** What Flink carries back from a TaskManager: only the text of the original exception. */
    @Test
    void serializedRefusalFromAFlinkTask() {
        Throwable serialized = new Exception("org.apache.kafka.common.errors.TopicAuthorizationException: Not authorized to access topics: [t]") {
            @Override
            public String toString() {
                return getMessage();
            }
        };
        assertEquals(Optional.of("Kafka refused access to the topics: Not authorized to access topics: [t] (no ACL allows it for this user)"),
                KafkaRefusal.describe(new RuntimeException("job failed", serialized)));
    }

    @Test
    void otherFailuresAreNotRefusals() {
        assertEquals(Optional.empty(), KafkaRefusal.describe(new ExecutionException(new TimeoutException("no answer")), client()));
    }
}
