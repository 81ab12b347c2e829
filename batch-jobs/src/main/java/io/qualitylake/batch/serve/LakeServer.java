package io.qualitylake.batch.serve;

import io.qualitylake.batch.lake.Lake;
import io.qualitylake.batch.lake.ServeState;
import io.qualitylake.batch.spark.SparkSessions;
import io.qualitylake.batch.sql.LakeCatalog;
import io.qualitylake.cli.BackgroundProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.hive.thriftserver.HiveThriftServer2;

/**
 * The server JVM of {@code qlake serve}: one Spark session over the lake (every table under its SPEC name,
 * registered by {@link LakeCatalog}), read-only through {@link ReadOnlyExtension}, behind Spark's Thrift
 * Server (the HiveServer2 protocol that Hive JDBC/ODBC drivers, DBeaver, Superset, Tableau and Power BI
 * speak). Delta tables resolve their latest snapshot on every query, so a job's new version is visible to
 * the next query; tables that appear later, and new bronze partitions, are picked up every
 * {@code refreshSeconds}. Started by {@link ServeCommand}; arguments: LAKE HOST PORT AUTH STATE_DIR REFRESH_S.
 */
public final class LakeServer {
    private LakeServer() {}

    public static void main(String[] args) throws Exception {
        String lakeLocation = args[0];
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        String auth = args[3];
        Path state = Path.of(args[4]);
        int refreshSeconds = Integer.parseInt(args[5]);
        if (auth.equals("password")) {
            LakeAuthenticator.users(); // a bad users file fails now, not at the first login
            // HiveServer2 builds a fresh HiveConf (system properties over defaults) when it authenticates
            System.setProperty("hive.server2.authentication", "CUSTOM");
            System.setProperty("hive.server2.custom.authentication.class", LakeAuthenticator.class.getName());
        }
        Files.createDirectories(state.resolve("local-scratch"));
        SparkSession spark = SparkSessions.create(null, false, sessionConfig(host, port, auth, state));
        Lake lake = Lake.existing(lakeLocation, spark.sparkContext().hadoopConfiguration());
        List<LakeCatalog.Registered> tables = ReadOnlyExtension.internally(() -> LakeCatalog.register(spark, lake));
        HiveThriftServer2 server = HiveThriftServer2.startWithContext(spark.sqlContext());
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "qlake-serve-refresh");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> refresh(spark, lake), refreshSeconds, refreshSeconds, TimeUnit.SECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            refresher.shutdownNow();
            try {
                Files.deleteIfExists(state.resolve(ServeState.READY_FILE));
            } catch (Exception ignored) {
                // the state folder may be gone already
            }
            server.stop();
        }, "qlake-serve-stop"));
        waitListening(host, port);
        Files.writeString(state.resolve(ServeState.READY_FILE), Instant.now() + " " + tables.size() + " tables\n");
        System.out.printf("qlake serve: %d tables of %s at jdbc:hive2://%s:%d/gold (auth %s)%n", tables.size(),
                lake.root(), host, port, auth);
        Thread.currentThread().join(); // serve until stopped (SIGTERM runs the shutdown hook)
    }

    /** Hive server settings travel in the session's SQL conf, which the Thrift Server reads at start. */
    static Map<String, String> sessionConfig(String host, int port, String auth, Path state) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension," + ReadOnlyExtension.class.getName());
        // Spark's own driver and block-manager ports serve only this JVM (local mode): keep them off the network
        c.put("spark.driver.bindAddress", "127.0.0.1");
        c.put("spark.driver.host", "127.0.0.1");
        c.put("hive.server2.thrift.bind.host", host);
        c.put("hive.server2.thrift.port", Integer.toString(port));
        c.put("hive.server2.transport.mode", "binary");
        c.put("hive.server2.enable.doAs", "false");
        c.put("hive.server2.authentication", auth.equals("password") ? "CUSTOM" : "NONE");
        if (auth.equals("password")) {
            c.put("hive.server2.custom.authentication.class", LakeAuthenticator.class.getName());
        }
        c.put("hive.exec.scratchdir", state.resolve("scratch").toString());
        c.put("hive.exec.local.scratchdir", state.resolve("local-scratch").toString());
        c.put("hive.server2.logging.operation.enabled", "false");
        c.put("spark.sql.hive.thriftServer.incrementalCollect", "false");
        // gold tables are small: one shuffle partition per core, not the batch jobs' 8 (fewer tasks per query)
        String cores = Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors()));
        c.put("spark.sql.shuffle.partitions", cores);
        c.put("spark.sql.adaptive.coalescePartitions.initialPartitionNum", cores);
        return c;
    }

    private static void refresh(SparkSession spark, Lake lake) {
        if (spark.sparkContext().isStopped()) {
            return; // shutting down
        }
        try {
            ReadOnlyExtension.internally(() -> LakeCatalog.registerNew(spark, lake));
        } catch (Exception e) {
            System.err.println("qlake serve: refreshing the table list failed: " + e);
            e.printStackTrace();
        }
    }

    private static void waitListening(String host, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !BackgroundProcess.accepts(host, port)) {
            BackgroundProcess.sleepQuietly(100);
        }
    }
}
