package io.qualitylake.batch.job;

import io.qualitylake.batch.lake.Lake;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job run's arguments and bookkeeping. {@code asOf} is resolved by the runner (SPEC §4): the
 * given date, or the date of the latest event. Jobs record the Delta versions they read and wrote.
 */
public final class JobContext {
    private final Lake lake;
    private final LocalDate asOf;
    private final String reference;
    private final Map<String, String> options;
    final Map<String, Long> versionsRead = new LinkedHashMap<>();
    final Map<String, Long> versionsWritten = new LinkedHashMap<>();
    final Map<String, Long> rowsWritten = new LinkedHashMap<>();
    final Map<String, String> notes = new LinkedHashMap<>();
    private final String runId = java.util.UUID.randomUUID().toString();
    private PastRun previous;
    private String fingerprint = "";
    private Scope scope;
    private long lapStart = System.nanoTime();
    private int failAfterWrites = -1;
    private final StringBuilder steps = new StringBuilder();

    public JobContext(Lake lake, LocalDate asOf, String reference, Map<String, String> options) {
        this.lake = lake;
        this.asOf = asOf;
        this.reference = reference;
        this.options = options;
    }

    public Lake lake() { return lake; }

    /** The ops.job_runs id of this run; gold rows it writes carry it. */
    public String runId() { return runId; }

    /** The job's last successful run (null: none), set by the runner before the job runs. */
    public PastRun previous() { return previous; }

    void previous(PastRun p) { previous = p; }

    /** The job's options that shape its results (e.g. the rubric): a change forces a full recompute. */
    public String fingerprint() { return fingerprint; }

    void fingerprint(String f) { fingerprint = f; }

    /** What this run recomputes; jobs set it once they have decided (see {@link Increments}). */
    public Scope scope() { return scope; }

    public void scope(Scope s) {
        scope = s;
        note("scope", s.describe());
        lap("scope");
    }

    /** Tests: the run dies right after its n-th table commit, as if killed between two commits. */
    void failAfterWrites(int n) {
        failAfterWrites = n;
    }

    public LocalDate asOf() { return asOf; }

    public String reference() { return reference; }

    /** SPEC §4: events before this instant (as_of + 1 day, 00:00 UTC) count; censored units are observed until it. */
    public java.sql.Timestamp end() {
        return java.sql.Timestamp.from(asOf.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public void read(String table, long version) {
        versionsRead.put(table, version);
    }

    public void wrote(String table, long version, long rows) {
        versionsWritten.put(table, version);
        rowsWritten.merge(table, rows, Long::sum);
        lap(table.substring(table.indexOf('.') + 1));
        if (failAfterWrites > 0 && versionsWritten.size() >= failAfterWrites) {
            throw new IllegalStateException("injected failure after " + failAfterWrites + " table write(s), the last " + table);
        }
    }

    /** A one-line fact for the run record and the console (e.g. "12 dimension rows used defaults"). */
    public void note(String key, String text) {
        notes.put(key, text);
    }

    /**
     * Ends a named step of the run: its seconds since the previous step (e.g. "scope 0.8, quality_kpis 3.0"),
     * so ops.job_runs shows where each run's time went.
     */
    public void lap(String step) {
        long now = System.nanoTime();
        if (steps.length() > 0) {
            steps.append(", ");
        }
        steps.append(step).append(' ').append(String.format(java.util.Locale.ROOT, "%.1f", (now - lapStart) / 1e9));
        lapStart = now;
    }

    /** The seconds of each step so far ({@link #lap}); recorded in ops.job_runs notes as {@code steps}. */
    public String steps() {
        return steps.toString();
    }

    public Map<String, Long> rowsWritten() {
        return rowsWritten;
    }

    public Map<String, String> notes() {
        return notes;
    }
}
