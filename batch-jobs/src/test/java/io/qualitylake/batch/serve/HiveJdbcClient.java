package io.qualitylake.batch.serve;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Apache Hive's standalone JDBC driver 3.1.3, the client BI tools ship, loaded alone in its own class loader
 * (parent: the platform loader, so only java.sql is shared). The test JVM has spark-hive and Hive 2.3 classes on
 * its class path; the driver's bundled Hive 3.1 and Thrift classes would clash with them, and an isolated loader
 * also proves that the client needs nothing of ours. The jar is copied to target/test-jdbc by the build.
 */
final class HiveJdbcClient {
    static final Path JAR = Path.of("target", "test-jdbc", "hive-jdbc-3.1.3-standalone.jar");
    private final Driver driver;

    HiveJdbcClient() throws Exception {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR.toAbsolutePath() + " is missing (the build copies it in generate-test-resources)");
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {JAR.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        driver = (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader).getDeclaredConstructor().newInstance();
    }

    Connection connect(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        Connection c = driver.connect(url, p);
        if (c == null) {
            throw new SQLException("the Hive driver does not accept " + url);
        }
        return c;
    }

    /** Whether the driver class came from the isolated loader (not from the test class path). */
    boolean isolated() {
        return driver.getClass().getClassLoader() != HiveJdbcClient.class.getClassLoader();
    }
}
