package io.qualitylake.cli;

import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka login or ACL refusal, found anywhere in a failure's cause chain, in one line for the user. Told apart
 * by class name (this module has no Kafka dependency), which also finds refusals that Flink carries back from a
 * TaskManager as a {@code SerializedThrowable} (its text starts with the original class name).
 */
public final class KafkaRefusal {
    private static final String ERRORS = "org.apache.kafka.common.errors.";
    private static final Pattern USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaRefusal() {}

    /** The one-line message for a refusal in {@code t}'s cause chain; empty when it holds none. */
    public static Optional<String> describe(Throwable t, Properties client) {
        for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
            String text = c.toString();
            String kind = kind(c, text);
            if (kind != null) {
                String msg = firstLine(c.getMessage());
                int colon = msg.indexOf(ERRORS);
                if (colon >= 0) { // a SerializedThrowable: "org.apache...Exception: message"
                    msg = msg.substring(msg.indexOf(':', colon) + 1).trim();
                }
                String who = client == null ? "" : " at " + client.getProperty("bootstrap.servers") + user(client);
                return Optional.of(kind.equals("login")
                        ? "Kafka" + who + " refused the login: " + msg + " (check the user and password in --kafka-properties)"
                        : "Kafka" + who + " refused access to " + resource(text) + ": " + msg + " (no ACL allows it for this user)");
            }
        }
        return Optional.empty();
    }

    public static Optional<String> describe(Throwable t) {
        return describe(t, null);
    }

    /** "login", "acl" or null. */
    private static String kind(Throwable c, String text) {
        for (Class<?> k = c.getClass(); k != null; k = k.getSuperclass()) {
            if (k.getName().equals(ERRORS + "AuthenticationException")) {
                return "login";
            }
            if (k.getName().equals(ERRORS + "AuthorizationException")) {
                return "acl";
            }
        }
        if (text.startsWith(ERRORS)) {
            String name = text.substring(ERRORS.length()).split("[:\\s]", 2)[0];
            if (name.endsWith("AuthenticationException")) {
                return "login";
            }
            if (name.endsWith("AuthorizationException")) {
                return "acl";
            }
        }
        return null;
    }

    /** What an authorization error is about, from its class name (TopicAuthorizationException: "the topics"). */
    private static String resource(String text) {
        String name = text.startsWith(ERRORS) ? text.substring(ERRORS.length()).split("[:\\s]", 2)[0] : "";
        if (name.startsWith("Topic")) {
            return "the topics";
        }
        if (name.startsWith("Group")) {
            return "the consumer group";
        }
        if (name.startsWith("TransactionalId")) {
            return "the transactional id";
        }
        if (name.startsWith("Cluster")) {
            return "the cluster";
        }
        return "the request";
    }

    private static String user(Properties client) {
        Matcher m = USER.matcher(client.getProperty("sasl.jaas.config", ""));
        return m.find() ? " (user '" + m.group(1) + "')" : "";
    }

    private static String firstLine(String s) {
        return Cli.firstLine(s == null ? "" : s);
    }
}
