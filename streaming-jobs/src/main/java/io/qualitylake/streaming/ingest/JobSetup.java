package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.Topic;
import java.time.Duration;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;

/**
 * What the LakeIngestJob and the SpcMonitorJob set up alike: the Flink configuration (exactly-once
 * checkpoints, retained on cancel, a bounded restart strategy, restore) and the bronze Parquet sink
 * (part files committed on checkpoints, rolled by {@link BronzeRollingPolicy}).
 */
public final class JobSetup {
    private JobSetup() {}

    /** Flink configuration for a streaming job of this project: checkpointing, state backend, restarts, restore. */
    public static Configuration configuration(String name, Duration checkpointInterval, String checkpointDir, String stateBackend,
                                              int parallelism, String restoreFrom, int restartAttempts) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.NAME, name);
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        c.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        c.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        c.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        c.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        // RocksDB: a checkpoint uploads only the files written since the last one, not the whole state
        c.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(1));
        c.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        // Records are never kept by an operator after emitting them, so chained operators may
        // share objects instead of deep-copying every Avro record (a top cost in profiles).
        c.set(PipelineOptions.OBJECT_REUSE, true);
        if (restoreFrom != null) {
            c.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return c;
    }

    /** Bronze Parquet of {@code rows}' columns under {@code dir}, in the buckets {@code buckets} names. */
    public static FileSink<GenericRecord> parquetSink(String dir, Topic rows, BucketAssigner<GenericRecord, String> buckets) {
        return FileSink.forBulkFormat(new Path(dir), ParquetFiles.writer(rows))
                .withBucketAssigner(buckets)
                .withRollingPolicy(new BronzeRollingPolicy(BronzeRollingPolicy.DEFAULT_INACTIVITY_MS,
                        BronzeRollingPolicy.DEFAULT_MAX_PART_BYTES))
                .withBucketCheckInterval(1_000) // how often idle part files are looked for
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
                .build();
    }
}
