package io.qualitylake.streaming;

import io.qualitylake.streaming.ingest.RawRecord;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

/**
 * A stage placed after a job's source that fails the job once, on the first record after a
 * checkpoint has completed, so a test can see Flink restore from that checkpoint.
 *
 * <p>Until a checkpoint completes it holds each record for a millisecond: a bounded input must not be
 * read to its end before the first checkpoint (on a fast machine a whole test file was once read in
 * less than the 300 ms checkpoint interval, and nothing was injected). Barriers still pass between
 * records. The flags are static because Flink serialises the function into its tasks; call
 * {@link #reset()} before each run.
 */
public final class FailOnceAfterCheckpoint implements MapFunction<RawRecord, RawRecord>, CheckpointListener {
    private static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    private static final AtomicBoolean FAILED = new AtomicBoolean();

    /** Arms a fresh injection; returns the function to hand to the job. */
    public static FailOnceAfterCheckpoint reset() {
        CHECKPOINTED.set(false);
        FAILED.set(false);
        return new FailOnceAfterCheckpoint();
    }

    /** Whether the failure was thrown (false means the input ended before any checkpoint completed). */
    public static boolean injected() {
        return FAILED.get();
    }

    @Override
    public RawRecord map(RawRecord r) {
        if (!CHECKPOINTED.get()) {
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        } else if (!FAILED.getAndSet(true)) {
            throw new IllegalStateException("injected failure after a completed checkpoint");
        }
        return r;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        CHECKPOINTED.set(true);
    }
}
