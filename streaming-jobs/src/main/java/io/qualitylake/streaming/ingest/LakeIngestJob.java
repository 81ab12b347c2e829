package io.qualitylake.streaming.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.qualitylake.schemas.LakeLayout;
import io.qualitylake.schemas.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * LakeIngestJob (SPEC §1-§3): Kafka topics or JSONL files → parse + validate once → per-topic
 * event-time watermarks → dedupe by event_id → bronze Parquet via FileSink rolling on checkpoints
 * (exactly once); invalid records → bronze/quarantine (+ topic qlake.quarantine.v1).
 * The job receives everything as {@link IngestOptions}; {@link #build} only wires.
 */
public final class LakeIngestJob {
    public static final String NAME = "qlake-lake-ingest";
    private final IngestOptions options;
    private final Clock clock;
    private final MapFunction<RawRecord, RawRecord> afterSource;

    public LakeIngestJob(IngestOptions options, Clock clock) {
        this(options, clock, null);
    }

    /** With a function applied right after the source: tests inject failures there. */
    LakeIngestJob(IngestOptions options, Clock clock, MapFunction<RawRecord, RawRecord> afterSource) {
        this.options = options;
        this.clock = clock;
        this.afterSource = afterSource;
    }

    /** Flink configuration from the options: checkpointing, state backend, restarts, restore. */
    public static Configuration configuration(IngestOptions o) {
        return JobSetup.configuration(NAME, o.checkpointInterval(), o.checkpointDir(), o.stateBackend(), o.parallelism(),
                o.restoreFrom(), o.restartAttempts());
    }

    /** Wires sources, validation, dedupe and sinks onto {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        DataStream<RawRecord> raw = options.fileMode() ? fileSources(env) : kafkaSource(env);
        if (afterSource != null) {
            raw = raw.map(afterSource).name("after-source").uid("after-source");
        }
        SingleOutputStreamOperator<GenericRecord> production = raw
                .process(new ValidateFunction(clock), new BronzeRowType(Topic.PRODUCTION))
                .name("parse-validate").uid("parse-validate");
        boolean oneSubtask = env.getParallelism() == 1;
        writeEvents(production, Topic.PRODUCTION, oneSubtask);
        writeEvents(production.getSideOutput(ValidateFunction.FIELD), Topic.FIELD, oneSubtask);

        DataStream<GenericRecord> quarantine = production.getSideOutput(ValidateFunction.QUARANTINE);
        quarantine.sinkTo(fileSink(Topic.QUARANTINE, "quarantine", new LakeBuckets.ByIngestDate()))
                .name("bronze-quarantine").uid("bronze-quarantine");
        if (options.quarantineTopic() && options.kafka() != null) {
            quarantine.sinkTo(KafkaSink.<GenericRecord>builder()
                            .setKafkaProducerConfig(options.kafka())
                            .setRecordSerializer(KafkaRecordSerializationSchema.<GenericRecord>builder()
                                    .setTopic(Topic.QUARANTINE.topicName())
                                    .setValueSerializationSchema(new QuarantineJson()).build())
                            // at least once: a replayed quarantine message is harmless; bronze/quarantine is exact
                            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build())
                    .name("topic-quarantine").uid("topic-quarantine");
        }
    }

    /**
     * Watermarks, dedupe by event_id, bronze Parquet. With parallelism 1 the one dedupe subtask owns
     * every key group, so the stream is keyed as it is: dedupe runs in the parse task (no keyBy
     * shuffle, the key hashed once) and the Parquet writer gets its own task behind it, which splits
     * the work between the job's two busy threads more evenly than parse | dedupe + write did.
     * With more subtasks the rows are shuffled by key to the dedupe task as before. Both shapes keep
     * the same operators (uids), key type and keyed state, so a restore with another parallelism
     * rebuilds the job in the other shape over the same state (not yet tested across shapes). The
     * shape is chosen when the job is built: a scheduler that rescales a running job in place
     * (reactive mode) must not be used with a job built for one subtask.
     */
    private void writeEvents(DataStream<GenericRecord> events, Topic topic, boolean oneSubtask) {
        BronzeRowType type = new BronzeRowType(topic);
        DataStream<GenericRecord> timed = events.assignTimestampsAndWatermarks(
                        WatermarkStrategy.<GenericRecord>forBoundedOutOfOrderness(options.maxOutOfOrderness())
                                .withTimestampAssigner((r, previous) -> (Long) r.get(BronzeAvro.EVENT_TIME) / 1000))
                .name("watermarks-" + topic.lakeName()).uid("watermarks-" + topic.lakeName());
        KeyedStream<GenericRecord, EventKey> keyed = oneSubtask
                ? DataStreamUtils.reinterpretAsKeyedStream(timed, new EventIdKey(), new EventKey.Type())
                : timed.keyBy(new EventIdKey(), new EventKey.Type());
        DataStream<GenericRecord> unique = keyed
                .process(new DeduplicateFunction(options.dedupeRetention(), topic.lakeName()), type)
                .name("dedupe-" + topic.lakeName()).uid("dedupe-" + topic.lakeName());
        if (oneSubtask) {
            unique = unique.rescale(); // not chained: the writer runs in a task of its own
        }
        unique.sinkTo(fileSink(topic, topic.lakeName(), new LakeBuckets.ByEventDateAndPlant()))
                .name("bronze-" + topic.lakeName()).uid("bronze-" + topic.lakeName());
    }

    private FileSink<GenericRecord> fileSink(Topic rows, String dir, BucketAssigner<GenericRecord, String> buckets) {
        return JobSetup.parquetSink(options.lake() + "/" + LakeLayout.BRONZE + "/" + dir, rows, buckets);
    }

    private DataStream<RawRecord> kafkaSource(StreamExecutionEnvironment env) {
        OffsetResetStrategy reset = "latest".equals(options.startFrom()) ? OffsetResetStrategy.LATEST : OffsetResetStrategy.EARLIEST;
        var builder = KafkaSource.<RawRecord>builder()
                .setProperties(options.kafka())
                .setTopics(options.topics())
                .setGroupId(options.groupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                .setDeserializer(new KafkaRawDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("isolation.level", "read_committed");
        if (options.untilIdle()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return env.fromSource(builder.build(), WatermarkStrategy.noWatermarks(), "kafka").uid("kafka-source");
    }

    private DataStream<RawRecord> fileSources(StreamExecutionEnvironment env) {
        DataStream<RawRecord> all = null;
        int i = 0;
        for (String f : options.files()) {
            FileSource<RawRecord> src = FileSource.forRecordStreamFormat(new JsonLinesFormat(f), new Path(f)).build();
            DataStream<RawRecord> s = env.fromSource(src, WatermarkStrategy.noWatermarks(), "file-" + i).uid("file-source-" + i);
            all = all == null ? s : all.union(s);
            i++;
        }
        return all;
    }

    /** Submits the job and returns at once (continuous mode; tests stop and restart it). */
    public JobClient start() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(options));
        build(env);
        return env.executeAsync(NAME);
    }

    /**
     * Runs the job to the end (bounded modes) or until cancelled, and returns the accounting; null when
     * {@code flink run -d} submitted it detached to a cluster (no accounting then: the job runs on).
     */
    public IngestReport run() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(options));
        build(env);
        JobExecutionResult result = env.execute(NAME);
        if (!result.isJobExecutionResult()) {
            System.out.println("ingest: submitted detached as job " + result.getJobID());
            return null;
        }
        return IngestReport.from(result.getAllAccumulatorResults(), result.getNetRuntime());
    }

    /** The dedupe key of a row: its event_id's digest ({@link EventKey}). */
    static final class EventIdKey implements KeySelector<GenericRecord, EventKey> {
        @Override
        public EventKey getKey(GenericRecord r) {
            return EventKey.of((CharSequence) r.get(BronzeAvro.EVENT_ID));
        }
    }

    /** Quarantine rows as JSON for topic qlake.quarantine.v1. */
    static final class QuarantineJson implements SerializationSchema<GenericRecord> {
        private transient ObjectMapper json;

        @Override
        public byte[] serialize(GenericRecord r) {
            if (json == null) {
                json = new ObjectMapper();
            }
            ObjectNode n = json.createObjectNode();
            for (Schema.Field f : r.getSchema().getFields()) {
                Object v = r.get(f.name());
                if (v instanceof Number num) {
                    n.put(f.name(), num.longValue());
                } else {
                    n.put(f.name(), v == null ? null : v.toString());
                }
            }
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
