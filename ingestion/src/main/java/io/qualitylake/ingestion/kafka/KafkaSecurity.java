package io.qualitylake.ingestion.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * A secured local Kafka ({@code qlake kafka start --secure}, {@code qlake cluster up --secure}): clients talk
 * SASL_SSL with SCRAM-SHA-512 users over TLS from a self-signed CA the command makes; brokers and controllers
 * talk mutual TLS with the broker certificate (principal {@code User:CN=qlake-broker}, a super user), so no
 * password is ever on a command line; KRaft's StandardAuthorizer enforces ACLs, and nothing is allowed that no
 * ACL allows. Three users, each with a client properties file in {@code <state>/security/}:
 * <ul>
 *   <li>{@code admin}: a super user;</li>
 *   <li>{@code qlake}: the application: read, write, create and describe the {@code qlake.*} topics, the
 *       {@code qlake*} consumer groups (ingest, monitor) and {@code qlake*} transactional ids (the monitor's alerts);</li>
 *   <li>{@code guest}: can log in, has no ACL (to see a refusal).</li>
 * </ul>
 * Passwords are random, kept in {@code security/secrets.properties} and the client files (owner-only).
 */
public final class KafkaSecurity {
    public static final String ADMIN = "admin";
    public static final String APP = "qlake";
    public static final String GUEST = "guest";
    public static final List<String> USERS = List.of(ADMIN, APP, GUEST);
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** What the application user may touch: topics, groups and transactional ids with these prefixes. */
    public static final String TOPIC_PREFIX = "qlake.";
    public static final String GROUP_PREFIX = "qlake";
    private static final String SECRETS = "secrets.properties";

    private final Path dir;
    private final Properties secrets;
    private final SelfSignedCa ca;

    private KafkaSecurity(Path dir, Properties secrets) {
        this.dir = dir;
        this.secrets = secrets;
        this.ca = new SelfSignedCa(dir, secrets.getProperty("keystore.password"));
    }

    /** Where the CA, keystore, secrets and client files of a broker/cluster state folder live. */
    public static Path dirOf(Path stateDir) {
        return stateDir.toAbsolutePath().normalize().resolve("security");
    }

    /** True when the broker or cluster of {@code stateDir} was set up secured. */
    public static boolean enabled(Path stateDir) {
        return Files.isRegularFile(dirOf(stateDir).resolve(SECRETS));
    }

    /** The security material of {@code stateDir}: kept if it exists, else made now (passwords, CA, keystore). */
    public static KafkaSecurity create(Path stateDir) {
        Path dir = dirOf(stateDir);
        Properties s = enabled(stateDir) ? load(dir.resolve(SECRETS)) : new Properties();
        if (s.getProperty("keystore.password") == null) {
            s.setProperty("keystore.password", randomPassword());
            for (String u : USERS) {
                s.setProperty("password." + u, randomPassword());
            }
            try {
                Files.createDirectories(dir);
                ownerOnly(dir, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store(s, dir.resolve(SECRETS), "qlake: passwords of the secured local Kafka (owner-only)");
        }
        KafkaSecurity k = new KafkaSecurity(dir, s);
        k.ca.ensure();
        return k;
    }

    public static KafkaSecurity open(Path stateDir) {
        return new KafkaSecurity(dirOf(stateDir), load(dirOf(stateDir).resolve(SECRETS)));
    }

    public Path dir() {
        return dir;
    }

    /** The client properties file of {@code user} (admin, qlake or guest), for {@code --kafka-properties}. */
    public Path clientFile(String user) {
        return dir.resolve(user + ".properties");
    }

    /** Every listener, TLS, SASL and authorizer setting of one broker+controller (replaces the PLAINTEXT ones). */
    public void applyBroker(Properties p, int clientPort, int internalPort, int controllerPort, boolean advertiseController) {
        p.setProperty("listeners", "CLIENT://localhost:" + clientPort + ",INTERNAL://localhost:" + internalPort
                + ",CONTROLLER://localhost:" + controllerPort);
        p.setProperty("advertised.listeners", "CLIENT://localhost:" + clientPort + ",INTERNAL://localhost:" + internalPort
                + (advertiseController ? ",CONTROLLER://localhost:" + controllerPort : ""));
        p.setProperty("listener.security.protocol.map", "CLIENT:SASL_SSL,INTERNAL:SSL,CONTROLLER:SSL");
        p.setProperty("inter.broker.listener.name", "INTERNAL");
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.name.internal.ssl.client.auth", "required");
        p.setProperty("listener.name.controller.ssl.client.auth", "required");
        p.setProperty("sasl.enabled.mechanisms", MECHANISM);
        p.setProperty("listener.name.client.sasl.enabled.mechanisms", MECHANISM);
        p.setProperty("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", ca.brokerKeystore().toString());
        p.setProperty("ssl.keystore.password", secrets.getProperty("keystore.password"));
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", ca.caPem().toString());
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        p.setProperty("super.users", "User:" + SelfSignedCa.BROKER_DN + ";User:" + ADMIN);
    }

    /** An admin client over the brokers' mutual-TLS listener (the broker principal, a super user): needs no user yet. */
    public Properties internalAdmin(String internalBootstrap) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", internalBootstrap);
        p.setProperty("security.protocol", "SSL");
        p.setProperty("ssl.keystore.type", "PKCS12");
        p.setProperty("ssl.keystore.location", ca.brokerKeystore().toString());
        p.setProperty("ssl.keystore.password", secrets.getProperty("keystore.password"));
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", ca.caPem().toString());
        return p;
    }

    /** SASL_SSL client settings of {@code user}, with {@code clientBootstrap}. */
    public Properties client(String user, String clientBootstrap) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", clientBootstrap);
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("sasl.mechanism", MECHANISM);
        p.setProperty("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + secrets.getProperty("password." + user) + "\";");
        p.setProperty("ssl.truststore.type", "PEM");
        p.setProperty("ssl.truststore.location", ca.caPem().toString());
        return p;
    }

    /** The passwords (for a test that checks they never leak). */
    public List<String> secretValues() {
        List<String> v = new ArrayList<>();
        for (String k : secrets.stringPropertyNames()) {
            v.add(secrets.getProperty(k));
        }
        return v;
    }

    /**
     * Creates the SCRAM users and the application's ACLs through the mutual-TLS listener, writes one client file
     * per user (with {@code extra} client settings, e.g. timeouts) and waits until the application user can log in.
     */
    public void provision(String internalBootstrap, String clientBootstrap, Properties extra, Duration timeout) {
        try (Admin admin = Admin.create(internalAdmin(internalBootstrap))) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            for (String u : USERS) {
                users.add(new UserScramCredentialUpsertion(u, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
                        secrets.getProperty("password." + u)));
            }
            admin.alterUserScramCredentials(List.copyOf(users)).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(appAcls()).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("setting up the Kafka users and ACLs failed: " + e.getMessage(), e);
        }
        for (String u : USERS) {
            Properties p = client(u, clientBootstrap);
            p.putAll(extra);
            store(p, clientFile(u), "qlake: Kafka client settings of user '" + u + "' (qlake ... --kafka-properties " + clientFile(u) + ")");
        }
        awaitLogin(client(APP, clientBootstrap), timeout);
    }

    static List<AclBinding> appAcls() {
        String app = "User:" + APP;
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(ResourceType.TOPIC, TOPIC_PREFIX, app, op));
        }
        acls.add(allow(ResourceType.GROUP, GROUP_PREFIX, app, AclOperation.READ));
        acls.add(allow(ResourceType.GROUP, GROUP_PREFIX, app, AclOperation.DESCRIBE));
        acls.add(allow(ResourceType.TRANSACTIONAL_ID, GROUP_PREFIX, app, AclOperation.WRITE));
        acls.add(allow(ResourceType.TRANSACTIONAL_ID, GROUP_PREFIX, app, AclOperation.DESCRIBE));
        return acls;
    }

    private static AclBinding allow(ResourceType type, String prefix, String principal, AclOperation op) {
        return new AclBinding(new ResourcePattern(type, prefix, PatternType.PREFIXED),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    /** SCRAM credentials reach every broker through the metadata log: wait until the first login works. */
    private static void awaitLogin(Properties client, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            Properties p = new Properties();
            p.putAll(client);
            p.setProperty("default.api.timeout.ms", "5000");
            p.setProperty("request.timeout.ms", "4000");
            try (Admin a = Admin.create(p)) {
                a.describeCluster().nodes().get(6, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
            }
            io.qualitylake.cli.BackgroundProcess.sleepQuietly(500);
        }
        throw new IllegalStateException("the Kafka user '" + APP + "' could not log in within " + timeout.toSeconds() + " s: "
                + (last == null ? "" : last.getMessage()));
    }

    private static String randomPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Replaces {@code file} by an empty file only its owner may read (before secrets are written to it). */
    public static void createOwnerOnly(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        ownerOnly(file, false);
    }

    private static void store(Properties p, Path file, String comment) {
        try {
            createOwnerOnly(file);
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(w, comment);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ownerOnly(Path p, boolean directory) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the folder's own permissions apply
        }
    }
}
