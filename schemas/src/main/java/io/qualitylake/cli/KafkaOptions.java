package io.qualitylake.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * Options of every command that talks to Kafka. Any client property (TLS, SASL, timeouts) goes in
 * the --kafka-properties file, so a secured cluster needs no code change; --bootstrap overrides
 * the file's bootstrap.servers.
 */
public class KafkaOptions {
    private static final Pattern SECRET = Pattern.compile("(?i).*(password|secret|jaas|token|credential|\\.key$|key\\.pem|keystore\\.key).*");

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (overrides bootstrap.servers in --kafka-properties).")
    public String bootstrap;

    @Option(names = "--kafka-properties", paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, timeouts, ...).")
    public Path propertiesFile;

    public boolean isSet() {
        return bootstrap != null || propertiesFile != null;
    }

    /** Client properties from the file plus --bootstrap; a one-line {@link UserError} when unusable. */
    public Properties clientProperties() {
        Properties p = new Properties();
        if (propertiesFile != null) {
            if (!Files.isReadable(propertiesFile)) {
                throw new UserError("cannot read --kafka-properties file " + propertiesFile);
            }
            try (Reader r = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new UserError("cannot read --kafka-properties file " + propertiesFile + ": " + e.getMessage());
            }
        }
        if (bootstrap != null) {
            if (!bootstrap.matches("[^\\s,]+:\\d{1,5}(,[^\\s,]+:\\d{1,5})*")) {
                throw new UserError("--bootstrap '" + bootstrap + "' is not HOST:PORT[,HOST:PORT...]");
            }
            p.setProperty("bootstrap.servers", bootstrap);
        }
        if (p.getProperty("bootstrap.servers") == null) {
            throw new UserError("no Kafka address: give --bootstrap HOST:PORT or bootstrap.servers in --kafka-properties");
        }
        return p;
    }

    /** The properties as they may be logged: secret values replaced by ******. */
    public static Map<String, String> redacted(Properties p) {
        Map<String, String> out = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, isSecret(k) ? "******" : p.getProperty(k));
        }
        return out;
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }
}
