package io.qualitylake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaOptionsTest {
    @TempDir
    Path tmp;

    @Test
    void propertiesFileAndBootstrapCombineAndSecretsAreRedacted() throws Exception {
        Path f = Files.writeString(tmp.resolve("client.properties"), String.join("\n",
                "bootstrap.servers=broker-a:9093",
                "security.protocol=SASL_SSL",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2\";",
                "ssl.truststore.password=changeit",
                "ssl.keystore.key=-----BEGIN PRIVATE KEY-----",
                "request.timeout.ms=5000"));
        KafkaOptions o = new KafkaOptions();
        o.propertiesFile = f;
        o.bootstrap = "broker-b:9093,broker-c:9093";
        Properties p = o.clientProperties();
        assertEquals("broker-b:9093,broker-c:9093", p.getProperty("bootstrap.servers"), "--bootstrap wins");
        assertEquals("SASL_SSL", p.getProperty("security.protocol"));
        Map<String, String> shown = KafkaOptions.redacted(p);
        assertFalse(shown.toString().contains("hunter2"));
        assertFalse(shown.toString().contains("changeit"));
        assertFalse(shown.toString().contains("PRIVATE KEY"));
        assertEquals("******", shown.get("sasl.jaas.config"));
        assertEquals("5000", shown.get("request.timeout.ms"));
        assertEquals("SCRAM-SHA-512", shown.get("sasl.mechanism"));
    }

    @Test
    void mistakesAreUserErrors() {
        KafkaOptions none = new KafkaOptions();
        assertTrue(assertThrows(UserError.class, none::clientProperties).getMessage().startsWith("no Kafka address"));
        KafkaOptions bad = new KafkaOptions();
        bad.bootstrap = "localhost";
        assertTrue(assertThrows(UserError.class, bad::clientProperties).getMessage().contains("is not HOST:PORT"));
        KafkaOptions missing = new KafkaOptions();
        missing.propertiesFile = tmp.resolve("nope.properties");
        assertTrue(assertThrows(UserError.class, missing::clientProperties).getMessage().startsWith("cannot read"));
    }
}
