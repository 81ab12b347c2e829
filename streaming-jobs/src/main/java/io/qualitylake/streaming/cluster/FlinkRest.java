package io.qualitylake.streaming.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The few calls of Flink's REST API the cluster and the fault test need (job state, cancel, TaskManagers). */
final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FlinkRest(String base) {
        this.base = base;
    }

    /** Registered TaskManagers, or -1 when the JobManager does not answer. */
    int taskManagers() {
        return get("/overview").map(n -> n.path("taskmanagers").asInt(-1)).orElse(-1);
    }

    /** The state of a job (RUNNING, RESTARTING, FAILED, ...), empty when the JobManager does not answer or knows no such job. */
    Optional<String> state(String jobId) {
        return get("/jobs/" + jobId).map(n -> n.path("state").asText(null));
    }

    /** Completed checkpoints of a job, or -1. */
    long completedCheckpoints(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").map(n -> n.path("counts").path("completed").asLong(-1)).orElse(-1L);
    }

    /**
     * How often the job has failed over (restarted from a checkpoint): the entries of its exception history, which
     * is current at once (the numRestarts metric reaches REST only every 10 s); -1 when the JobManager does not answer.
     */
    long restarts(String jobId) {
        return get("/jobs/" + jobId + "/exceptions").map(n -> (long) n.path("exceptionHistory").path("entries").size()).orElse(-1L);
    }

    /**
     * The RPC address of the registered TaskManager with this resource id (tm-1, ...), empty when it is not
     * registered or the JobManager does not answer. A restarted TaskManager keeps its id but gets a new port.
     */
    Optional<String> taskManagerPath(String resourceId) {
        return get("/taskmanagers").flatMap(n -> {
            for (JsonNode tm : n.path("taskmanagers")) {
                if (tm.path("id").asText().equals(resourceId) && !tm.path("path").asText().isEmpty()) {
                    return Optional.of(tm.path("path").asText());
                }
            }
            return Optional.empty();
        });
    }

    /** The resource ids of the TaskManagers running tasks of the job (tm-1, tm-2, ...). */
    java.util.Set<String> taskManagersOf(String jobId) {
        java.util.Set<String> tms = new java.util.TreeSet<>();
        get("/jobs/" + jobId).ifPresent(job -> job.path("vertices").forEach(v -> get("/jobs/" + jobId + "/vertices/"
                + v.path("id").asText() + "/taskmanagers").ifPresent(t -> t.path("taskmanagers")
                .forEach(tm -> tms.add(tm.path("taskmanager-id").asText())))));
        return tms;
    }

    void cancel(String jobId) {
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
                    .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the JobManager is gone: nothing to cancel
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<JsonNode> get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
