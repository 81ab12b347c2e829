package io.qualitylake.batch.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers that several jobs of one {@code batch all} ask alike, kept for the run: each job's last
 * successful run (ops.job_runs read once, then kept current as the runner records runs) and what a
 * change feed says about a fixed range of versions (which months a table's commits from version A to B
 * touched, and whether they changed data). A version range names fixed commits and the lake lock keeps
 * other writers out while the run holds it, so a kept answer is the answer a new query would give.
 * Off unless a run opens it; a single job's run asks each question once anyway.
 */
public final class RunMemo implements AutoCloseable {
    private static RunMemo active;

    /** ops.job_runs path to (job to its last successful run); a job without one is absent. */
    private final Map<String, Map<String, PastRun>> lastRuns = new HashMap<>();
    private final Map<List<Object>, Object> answers = new HashMap<>();

    private RunMemo() {}

    /** Keeps answers until the returned memo is closed. */
    public static synchronized RunMemo open() {
        active = new RunMemo();
        return active;
    }

    /** The last successful run of {@code job} from the run log at {@code path}, loading every job's with {@code load} once. */
    static synchronized PastRun lastRun(String path, String job, Supplier<Map<String, PastRun>> load) {
        if (active == null) {
            return load.get().get(job);
        }
        return active.lastRuns.computeIfAbsent(path, p -> new HashMap<>(load.get())).get(job);
    }

    /** A run the runner has just recorded as succeeded: from now on it is the job's last. */
    static synchronized void succeeded(String path, String job, PastRun run) {
        if (active != null && active.lastRuns.containsKey(path)) {
            active.lastRuns.get(path).put(job, run);
        }
    }

    /**
     * The answer for {@code key}, computed once per run. The key must name everything the answer
     * depends on (a table path and a version range, never "the latest version").
     */
    @SuppressWarnings("unchecked")
    static synchronized <T> T answer(List<Object> key, Supplier<T> compute) {
        if (active == null) {
            return compute.get();
        }
        if (active.answers.containsKey(key)) {
            return (T) active.answers.get(key);
        }
        T value = compute.get();
        active.answers.put(key, value);
        return value;
    }

    @Override
    public synchronized void close() {
        lastRuns.clear();
        answers.clear();
        if (active == this) {
            active = null;
        }
    }
}
