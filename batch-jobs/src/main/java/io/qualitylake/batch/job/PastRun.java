package io.qualitylake.batch.job;

import java.time.LocalDate;
import java.util.Map;

/** A successful run of a job as ops.job_runs recorded it: what it read, at which as_of, with which options. */
public record PastRun(String runId, LocalDate asOf, String options, Map<String, Long> versionsRead,
                      Map<String, Long> versionsWritten) {}
