package io.qualitylake.ingestion.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate authority and one broker key pair signed by it, made with the JDK's own
 * {@code keytool} (no network, no OpenSSL). The store password reaches keytool through an environment
 * variable ({@code -storepass:env}), never its command line, so {@code ps} does not show it.
 * <ul>
 *   <li>{@code ca.p12}: the CA's private key (only the command that makes certificates needs it);</li>
 *   <li>{@code ca.pem}: the CA certificate, the trust store of brokers and clients ({@code ssl.truststore.type=PEM});</li>
 *   <li>{@code broker.p12}: the brokers' key and certificate chain, SAN {@code localhost} and {@code 127.0.0.1},
 *       for server and client authentication (brokers and controllers authenticate each other with it).</li>
 * </ul>
 */
final class SelfSignedCa {
    /** The subject of the broker certificate; with mutual TLS the broker's Kafka principal is {@code User:} + this. */
    static final String BROKER_DN = "CN=qlake-broker";
    private static final String PASS_ENV = "QLAKE_KEYSTORE_PASSWORD";
    private static final String VALIDITY_DAYS = "825";

    private final Path dir;
    private final String password;

    SelfSignedCa(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    Path caPem() {
        return dir.resolve("ca.pem");
    }

    Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    /** Makes the CA and the broker keystore unless both exist already (a restart keeps them). */
    void ensure() {
        if (Files.isRegularFile(caPem()) && Files.isRegularFile(brokerKeystore())) {
            return;
        }
        try {
            Files.createDirectories(dir);
            for (String f : List.of("ca.p12", "ca.pem", "broker.p12", "broker.csr", "broker.crt")) {
                Files.deleteIfExists(dir.resolve(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String ca = dir.resolve("ca.p12").toString();
        String broker = brokerKeystore().toString();
        String pass = "-storepass:env";
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", VALIDITY_DAYS,
                "-dname", "CN=qlake local CA", "-ext", "bc:c=ca:true", "-storetype", "PKCS12", "-keystore", ca, pass, PASS_ENV);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, pass, PASS_ENV, "-file", caPem().toString());
        keytool("-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", VALIDITY_DAYS,
                "-dname", BROKER_DN, "-storetype", "PKCS12", "-keystore", broker, pass, PASS_ENV);
        keytool("-certreq", "-alias", "broker", "-keystore", broker, pass, PASS_ENV, "-file", dir.resolve("broker.csr").toString());
        keytool("-gencert", "-alias", "ca", "-keystore", ca, pass, PASS_ENV, "-rfc", "-validity", VALIDITY_DAYS,
                "-infile", dir.resolve("broker.csr").toString(), "-outfile", dir.resolve("broker.crt").toString(),
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-ext", "KU=digitalSignature,keyEncipherment",
                "-ext", "EKU=serverAuth,clientAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", broker, pass, PASS_ENV, "-file", caPem().toString());
        keytool("-importcert", "-noprompt", "-alias", "broker", "-keystore", broker, pass, PASS_ENV,
                "-file", dir.resolve("broker.crt").toString());
    }

    private void keytool(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put(PASS_ENV, password);
        try {
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("keytool " + args[0] + " failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run keytool (a JDK, not a JRE, is needed)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making certificates");
        }
    }
}
