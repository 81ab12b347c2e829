package io.qualitylake.streaming.monitor;

import io.qualitylake.streaming.ingest.JsonLinesFormat;
import io.qualitylake.streaming.ingest.KafkaRawDeserializer;
import io.qualitylake.streaming.ingest.RawRecord;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Where the monitor reads from, handed to {@link SpcMonitorJob}: measurements as raw records (parsed
 * and validated by the job, like the ingest does) with event-time watermarks assigned per partition
 * or file ({@link EventTimes}), and limits messages as raw bytes. Tests hand in
 * in-memory sources; {@link #of} gives the Kafka or file ones.
 */
public interface MonitorSources {
    DataStream<RawRecord> measurements(StreamExecutionEnvironment env);

    /** Values of qlake.control-limits.v1 messages (null values are tombstones); an empty stream when there are none. */
    DataStream<byte[]> limits(StreamExecutionEnvironment env);

    static MonitorSources of(MonitorOptions o) {
        return o.fileMode() ? files(o.files(), o.maxOutOfOrderness()) : kafka(o);
    }

    /** The most measurement readers the monitor starts (one per partition up to this). */
    int MAX_READERS = 64;

    TypeInformation<byte[]> BYTES = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    /** JSONL files of measurements (and other events, which are skipped); no limits stream. Watermarks per file. */
    static MonitorSources files(List<String> files, java.time.Duration maxOutOfOrderness) {
        return new MonitorSources() {
            @Override
            public DataStream<RawRecord> measurements(StreamExecutionEnvironment env) {
                DataStream<RawRecord> all = null;
                int i = 0;
                for (String f : files) {
                    FileSource<RawRecord> src = FileSource.forRecordStreamFormat(new JsonLinesFormat(f), new Path(f)).build();
                    DataStream<RawRecord> s = env.fromSource(src, EventTimes.strategy(maxOutOfOrderness), "file-" + i)
                            .uid("monitor-file-source-" + i);
                    all = all == null ? s : all.union(s);
                    i++;
                }
                return all;
            }

            @Override
            public DataStream<byte[]> limits(StreamExecutionEnvironment env) {
                // one tombstone (skipped by the parser): Flink's collection source cannot be empty
                return env.fromData(List.of(new byte[0]), BYTES).name("no-limits").uid("monitor-no-limits");
            }
        };
    }

    /** The partition count of the measurement topic, or 0 when the broker does not say (then a fixed hold applies). */
    private static int partitions(MonitorOptions o) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(o.kafka())) {
            return admin.describeTopics(List.of(o.topics().production())).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS)
                    .get(o.topics().production()).partitions().size();
        } catch (Exception e) {
            return 0;
        }
    }

    /** qlake.production.v1 (consumer group offsets, committed on checkpoints) and the compacted limits topic from the start. */
    static MonitorSources kafka(MonitorOptions o) {
        return new MonitorSources() {
            @Override
            public DataStream<RawRecord> measurements(StreamExecutionEnvironment env) {
                OffsetResetStrategy reset = "latest".equals(o.startFrom()) ? OffsetResetStrategy.LATEST : OffsetResetStrategy.EARLIEST;
                var b = KafkaSource.<RawRecord>builder().setProperties(o.kafka())
                        .setTopics(o.topics().production()).setGroupId(o.groupId())
                        .setStartingOffsets(OffsetsInitializer.committedOffsets(reset))
                        .setDeserializer(new KafkaRawDeserializer())
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .setProperty("isolation.level", "read_committed");
                if (o.untilIdle()) {
                    b.setBounded(OffsetsInitializer.latest());
                }
                // watermarks per partition, in the source: the slowest partition holds event time back
                // One reader per partition: a reader that owns several partitions was seen to let one run
                // ahead in a replay (the demo's monitor at p=1 over 2 partitions judged 1 subgroup in 8 and
                // skipped the rest as late; at one reader per partition it matched batch). The readers are
                // light (bytes + timestamp); the downstream watermark is the minimum over them.
                var source = env.fromSource(b.build(), EventTimes.strategy(o.maxOutOfOrderness()), "kafka-production")
                        .uid("monitor-kafka-source");
                int partitions = partitions(o);
                if (partitions > env.getParallelism()) {
                    source.setParallelism(Math.min(partitions, MAX_READERS));
                }
                return source;
            }

            @Override
            public DataStream<byte[]> limits(StreamExecutionEnvironment env) {
                var b = KafkaSource.<byte[]>builder().setProperties(o.kafka())
                        .setTopics(o.topics().limits()).setGroupId(o.groupId() + "-limits")
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new LimitsValues())
                        .setProperty("isolation.level", "read_committed");
                if (o.untilIdle()) {
                    b.setBounded(OffsetsInitializer.latest());
                }
                return env.fromSource(b.build(), WatermarkStrategy.noWatermarks(), "kafka-limits").uid("monitor-limits-source");
            }
        };
    }

    /** The value bytes of a limits message; a tombstone (null value) becomes an empty array. */
    final class LimitsValues implements KafkaRecordDeserializationSchema<byte[]> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<byte[]> out) {
            out.collect(r.value() == null ? new byte[0] : r.value());
        }

        @Override
        public TypeInformation<byte[]> getProducedType() {
            return BYTES;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {}
    }
}
