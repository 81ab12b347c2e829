package io.qualitylake.streaming.cluster;

import io.qualitylake.cli.BackgroundProcess;
import io.qualitylake.ingestion.sink.KafkaSink;
import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.ingest.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * One round of the ingest fault test: fresh topics and lake, LakeIngestJob submitted to the Flink cluster, the
 * planted world published at a steady pace by the idempotent producer while faults hit the cluster at random
 * moments; then, once bronze holds the world, the job is cancelled and bronze compared with the truth by event_id.
 */
final class FaultRound {
    record Result(int round, List<String> faults, long sent, long expected, long bronzeRows, long quarantined,
                  long expectedQuarantined, long duplicatesDropped, long expectedDuplicates, long lost, long duplicated,
                  long unexpected, long restarts, int resubmits, double seconds) {
        String line() {
            return String.format("round %d: faults=%d [%s] sent=%,d bronze_rows=%,d expected=%,d quarantined=%,d/%,d"
                            + " duplicates_dropped=%,d/%,d lost=%d duplicated=%d unexpected=%d job_restarts=%d resubmits=%d %.0f s",
                    round, faults.size(), String.join(", ", faults), sent, bronzeRows, expected, quarantined, expectedQuarantined,
                    duplicatesDropped, expectedDuplicates, lost, duplicated, unexpected, restarts, resubmits, seconds);
        }

        boolean clean() {
            return lost == 0 && duplicated == 0 && unexpected == 0 && quarantined == expectedQuarantined
                    && duplicatesDropped == expectedDuplicates;
        }
    }

    private final LocalCluster cluster;
    private final IngestSubmitter submitter;
    private final PlantedWorld world;
    private final String lakeBase;
    private final Path workDir;
    private final long publishMillis;
    private final long catchUpMillis;
    private final FlinkRest rest;

    FaultRound(LocalCluster cluster, IngestSubmitter submitter, PlantedWorld world, String lakeBase, Path workDir,
               long publishMillis, long catchUpMillis) {
        this.cluster = cluster;
        this.submitter = submitter;
        this.world = world;
        this.lakeBase = lakeBase;
        this.workDir = workDir;
        this.publishMillis = publishMillis;
        this.catchUpMillis = catchUpMillis;
        this.rest = new FlinkRest(cluster.layout().flinkRest());
    }

    Result run(int round, List<Faults.Kind> kinds, Random random) throws Exception {
        long t0 = System.nanoTime();
        String lake = lakeBase + "/round-" + round;
        String group = "qlake-fault-" + round + "-" + System.currentTimeMillis();
        Path log = workDir.resolve("round-" + round + "-flink-run.log");
        Files.createDirectories(workDir);
        resetTopics();
        String job = submitter.submit(lake, group, null, log);
        awaitRunning(job, 120);
        progress(round, t0, "ingest job %s submitted; publishing over %.0f s", job, publishMillis / 1e3);
        int resubmits = 0;
        long restarts = 0;

        AtomicReference<Exception> publishFailure = new AtomicReference<>();
        Thread publisher = new Thread(() -> publish(publishFailure), "fault-test-publisher");
        long start = System.currentTimeMillis();
        publisher.start();
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            at.add((long) (publishMillis * (0.1 + 0.8 * random.nextDouble())));
        }
        at.sort(null);
        Faults faults = new Faults(cluster, random);
        List<String> hit = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            long wait = start + at.get(i) - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            Faults.Kind k = kinds.get(i);
            long restartsBefore = Math.max(0, rest.restarts(job));
            long faultAt = System.nanoTime();
            progress(round, t0, "%s ...", k.label);
            String target = faults.inject(k, job);
            hit.add(k.label + ":" + target);
            progress(round, t0, "%s %s: back in the cluster after %.1f s", k.label, target, (System.nanoTime() - faultAt) / 1e9);
            if (k == Faults.Kind.JOBMANAGER_KILL) {
                job = resubmit(lake, group, log);
                resubmits++;
                progress(round, t0, "resubmitted from the latest checkpoint as %s", job);
            } else if (!awaitRunning(job, 90)) {
                job = resubmit(lake, group, log); // restart attempts used up: the operator's recovery
                resubmits++;
                progress(round, t0, "the job did not run again; resubmitted from the latest checkpoint as %s", job);
            } else {
                BackgroundProcess.sleepQuietly(1_000);
                restarts += Math.max(0, rest.restarts(job) - restartsBefore);
            }
        }
        publisher.join();
        if (publishFailure.get() != null) {
            throw new IllegalStateException("publishing failed: " + publishFailure.get().getMessage(), publishFailure.get());
        }
        progress(round, t0, "published %,d records; waiting for bronze to hold them", world.messages.size());
        // wait until bronze holds every expected event and quarantined record, then two more checkpoints
        // on a loaded machine the recovered job may still be catching up at the deadline: while bronze keeps
        // growing it gets another minute, up to three times the catch-up time (a stalled job gets none)
        Instant deadline = Instant.now().plusMillis(catchUpMillis);
        Instant hardDeadline = Instant.now().plusMillis(3 * catchUpMillis);
        long seen = -1;
        while (Instant.now().isBefore(deadline)) {
            BronzeCount c = BronzeCount.read(lake);
            if (c.rowsById().size() >= world.expectedIds.size() && c.quarantineRows() >= world.malformed()) {
                Thread.sleep(5_000);
                break;
            }
            long now = c.rowsById().size() + c.quarantineRows();
            if (seen >= 0 && now > seen) {
                Instant extended = Instant.now().plusSeconds(60);
                if (extended.isAfter(deadline)) {
                    deadline = extended.isBefore(hardDeadline) ? extended : hardDeadline;
                }
            }
            seen = now;
            Optional<String> state = rest.state(job);
            if (state.isEmpty() || List.of("FAILED", "CANCELED").contains(state.get())) {
                job = resubmit(lake, group, log);
                resubmits++;
            }
            Thread.sleep(2_000);
        }
        progress(round, t0, "cancelling the job; comparing bronze with the truth");
        cancel(job);
        BronzeCount c = BronzeCount.read(lake);
        long lost = world.expectedIds.stream().filter(id -> !c.rowsById().containsKey(id)).count();
        long unexpected = c.rowsById().keySet().stream().filter(id -> !world.expectedIds.contains(id)).count();
        long sent = world.messages.size();
        return new Result(round, hit, sent, world.expectedIds.size(), c.eventRows(), c.quarantineRows(), world.malformed(),
                sent - c.eventRows() - c.quarantineRows(), world.duplicates(), lost, c.duplicated(), unexpected, restarts, resubmits,
                (System.nanoTime() - t0) / 1e9);
    }

    /** One progress line of the round, with the seconds since it started: shows how far a round got when it fails. */
    private static void progress(int round, long t0, String format, Object... args) {
        System.out.printf("  round %d +%.0f s: %s%n", round, (System.nanoTime() - t0) / 1e9, String.format(format, args));
    }

    private String resubmit(String lake, String group, Path log) throws Exception {
        String latest = Checkpoints.latest(lake + "/_checkpoints/ingest").orElse(null);
        String job = submitter.submit(lake, group, latest, log);
        awaitRunning(job, 120);
        return job;
    }

    /** True once the job runs; false if it failed or did not run in time. */
    private boolean awaitRunning(String job, int seconds) {
        Instant deadline = Instant.now().plusSeconds(seconds);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> s = rest.state(job);
            if (s.isPresent() && s.get().equals("RUNNING")) {
                return true;
            }
            if (s.isPresent() && List.of("FAILED", "CANCELED", "FINISHED").contains(s.get())) {
                return false;
            }
            BackgroundProcess.sleepQuietly(500);
        }
        return false;
    }

    private void cancel(String job) {
        rest.cancel(job);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> s = rest.state(job);
            if (s.isEmpty() || List.of("CANCELED", "FAILED", "FINISHED").contains(s.get())) {
                return;
            }
            BackgroundProcess.sleepQuietly(500);
        }
    }

    /** Sends the world at a steady pace over the publishing window, with the idempotent producer (acks=all). */
    private void publish(AtomicReference<Exception> failure) {
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", cluster.layout().bootstrap());
        try (KafkaSink sink = new KafkaSink(client)) {
            long t0 = System.currentTimeMillis();
            int n = world.messages.size();
            for (int i = 0; i < n; i++) {
                if (i % 50 == 0) {
                    long due = t0 + publishMillis * i / n - System.currentTimeMillis();
                    if (due > 0) {
                        Thread.sleep(due);
                    }
                }
                PlantedWorld.Message m = world.messages.get(i);
                sink.send(m.topic(), m.key(), m.value());
            }
        } catch (Exception e) {
            failure.set(e);
        }
    }

    /** Deletes and recreates the topics: each round starts empty (2 partitions, replication 3, min.insync.replicas 2). */
    private void resetTopics() throws Exception {
        List<String> names = List.of(Topic.PRODUCTION.topicName(), Topic.FIELD.topicName(), Topic.QUARANTINE.topicName());
        int rf = Math.min(3, cluster.layout().brokers());
        try (Admin admin = cluster.admin()) {
            List<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().filter(names::contains).toList();
            if (!existing.isEmpty()) {
                admin.deleteTopics(existing).all().get(30, TimeUnit.SECONDS);
            }
            Instant deadline = Instant.now().plusSeconds(60);
            while (true) {
                java.util.Set<String> now = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                List<NewTopic> missing = names.stream().filter(n -> !now.contains(n)).map(n -> new NewTopic(n, 2, (short) rf)
                        .configs(Map.of("min.insync.replicas", Integer.toString(Math.min(2, rf))))).toList();
                if (missing.isEmpty()) {
                    return;
                }
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) || Instant.now().isAfter(deadline)) {
                        throw e;
                    }
                    Thread.sleep(1_000); // deletion still in progress
                }
            }
        }
    }
}
