package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.UserError;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.streaming.ingest.IngestCommand;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qlake fault-test}: LakeIngestJob on the local cluster ({@code qlake cluster up}) while TaskManagers are
 * SIGKILLed, partition leaders crash and the JobManager dies; bronze compared with the simulator's truth by event_id.
 * With {@code --spark-round}, {@link SparkRound}: batch all through spark-submit with executors and the driver killed
 * (the driver inside a gold table's Delta commit), gold compared with a clean run. Lakes on file: or the cluster's hdfs:.
 */
@Command(name = "fault-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Publish a planted world with the idempotent producer to the local cluster's 3 brokers while",
                "LakeIngestJob runs on its Flink cluster; at random moments SIGKILL a TaskManager (and restart it),",
                "crash and restart the leader broker of a partition, kill the JobManager and resubmit from the latest",
                "retained checkpoint. Then compare bronze with the truth by event_id. Prints a progress line per",
                "fault ('  round 1 +22 s: ...'), a result line per round, then faults=... lost=... duplicated=...",
                "Exit 1 if anything was lost or duplicated."})
public class FaultTestCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ClusterCommand.DEFAULT_DIR,
            description = "The running cluster's state folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds, each with a fresh lake and topics (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--faults-per-round", defaultValue = "3",
            description = "Faults per round, cycling taskmanager-kill, leader-restart, jobmanager-kill (default: ${DEFAULT-VALUE}).")
    int faultsPerRound;

    @Option(names = "--lake", paramLabel = "URI", description = "Where the rounds' lakes go (default: DIR/fault-test/lake); hdfs:// works.")
    String lake;

    @Option(names = "--plants", defaultValue = "2", description = "World size: plants (default: ${DEFAULT-VALUE}).")
    int plants;

    @Option(names = "--days", defaultValue = "10", description = "World size: days (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--publish-seconds", defaultValue = "40", description = "Spread publishing over this long (default: ${DEFAULT-VALUE}).")
    int publishSeconds;

    @Option(names = "--seed", defaultValue = "7", description = "World and fault-schedule seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--spark-round", description = "After the ingest rounds, batch all through spark-submit over the last round's bronze: once clean, "
            + "then --spark-runs faulted runs (an executor SIGKILLed, the driver SIGKILLed inside a gold table's Delta commit, "
            + "a rerun that loses an executor too); every gold table compared with the clean run.")
    boolean sparkRound;

    @Option(names = "--spark-runs", defaultValue = "1", description = "Faulted batch runs of the Spark round, 3 faults each (default: ${DEFAULT-VALUE}).")
    int sparkRuns;

    @Option(names = "--verbose", description = "Show engine logs and stack traces.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1 || faultsPerRound < 0 || publishSeconds < 5 || sparkRuns < 1) {
            throw new UserError("--rounds must be >= 1, --faults-per-round >= 0, --publish-seconds >= 5, --spark-runs >= 1");
        }
        LocalCluster cluster = LocalCluster.open(dir);
        if (lake != null) {
            HdfsNodes.requireOurs(cluster.layout(), lake);
        }
        List<String> down = cluster.members().stream().filter(m -> !m.kind().startsWith("spark") && cluster.running(m).isEmpty())
                .map(Member::name).toList();
        if (!down.isEmpty()) {
            throw new UserError("the cluster in " + cluster.layout().dir() + " is not running (" + String.join(", ", down)
                    + " down); start it with: qlake cluster up --dir " + dir);
        }
        // each invocation its own folder: a round must start from an empty lake and no earlier checkpoints
        String run = "run-" + java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String lakeBase = io.qualitylake.streaming.ingest.StreamJobOptions.lakeUri(lake != null ? lake : cluster.layout().dir().resolve("fault-test").resolve("lake").toString())
                + "/" + run;
        SimulationConfig config = SimulationConfig.defaults().withSeed(seed).withScale(plants, days, 20)
                .withFaults(0.02, 0.01, 0.01, 0.001); // more duplicates and malformed twins than the default, to exercise both paths
        PlantedWorld world = new PlantedWorld(config);
        System.out.printf("fault-test: world of %,d records (%,d valid events, %,d duplicates, %,d malformed), %d round(s) x %d fault(s),"
                        + " lakes in %s%n", world.messages.size(), world.validUnique(), world.duplicates(), world.malformed(),
                rounds, faultsPerRound, lakeBase);
        if (world.expectedIds.size() != world.validUnique()) {
            throw new IllegalStateException("the world's event ids (" + world.expectedIds.size() + ") disagree with its truth ("
                    + world.validUnique() + " valid unique events)");
        }
        IngestSubmitter submitter = new IngestSubmitter(cluster, new Classpaths(Classpaths.locate()));
        Random random = new Random(seed);
        Faults.Kind[] cycle = Faults.Kind.values();
        int next = 0;
        long faults = 0;
        List<String> hits = new ArrayList<>();
        long lost = 0;
        long duplicated = 0;
        boolean clean = true;
        String lastLake = null;
        for (int r = 1; r <= rounds; r++) {
            List<Faults.Kind> kinds = new ArrayList<>();
            for (int i = 0; i < faultsPerRound; i++) {
                kinds.add(cycle[next++ % cycle.length]);
            }
            FaultRound.Result res = new FaultRound(cluster, submitter, world, lakeBase, cluster.layout().dir().resolve("fault-test").resolve(run),
                    publishSeconds * 1000L, 240_000L).run(r, kinds, random);
            System.out.println(res.line());
            faults += res.faults().size();
            hits.addAll(res.faults());
            lost += res.lost();
            duplicated += res.duplicated();
            clean &= res.clean();
            lastLake = lakeBase + "/round-" + r;
        }
        String gold = "not-run";
        if (!sparkRound || !cluster.layout().spark()) {
            System.out.println("spark round: skipped (" + (!sparkRound ? "no --spark-round" : "the cluster runs without Spark") + ")");
        } else {
            SparkRound.Result sr = new SparkRound(new SparkSubmitter(cluster, new Classpaths(Classpaths.locate())), world,
                    cluster.layout().dir().resolve("fault-test").resolve(run).resolve("spark"), lakeBase + "/spark")
                    .run(lastLake + "/bronze", random, sparkRuns);
            System.out.println(sr.line());
            faults += sr.faults();
            sr.runs().forEach(x -> hits.addAll(x.faults()));
            gold = sr.goldIdentical() ? "yes" : "no";
            clean &= sr.goldIdentical();
        }
        System.out.printf("faults=%d lost=%d duplicated=%d gold_identical=%s by_kind=[%s]%n", faults, lost, duplicated, gold, byKind(hits));
        return clean ? 0 : 1;
    }

    /** "taskmanager-kill 3, driver-kill 1, …": each fault's label up to its target, counted. */
    static String byKind(List<String> faults) {
        java.util.Map<String, Integer> n = new java.util.LinkedHashMap<>();
        for (String f : faults) {
            n.merge(f.split("[:@]", 2)[0], 1, Integer::sum);
        }
        return String.join(", ", n.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList());
    }
}
