package io.qualitylake.streaming.monitor;

import io.qualitylake.schemas.Topic;
import io.qualitylake.streaming.ingest.BronzeRowType;
import io.qualitylake.streaming.ingest.JobSetup;
import io.qualitylake.streaming.ingest.RawRecord;
import io.qualitylake.streaming.ingest.ValidateFunction;
import java.time.Clock;
import java.util.Properties;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SpcMonitorJob (SPEC §1, §3, §4): MEASUREMENT events (event-time watermarks per source partition)
 * → the ingest's parse + validate (once) → keyed by characteristic, subgroups assembled and judged by
 * {@link SpcMonitorFunction} with limits from a broadcast of qlake.control-limits.v1 → alerts to
 * bronze/alerts (Parquet, committed on checkpoints) and qlake.alerts.v1 (Kafka transactions), both
 * exactly once. Sources are handed in ({@link MonitorSources}); {@link #build} only wires.
 */
public final class SpcMonitorJob {
    public static final String NAME = "qlake-spc-monitor";
    public static final String INVALID_LIMITS = "monitor-invalid-limits";
    private static final Logger LOG = LoggerFactory.getLogger(SpcMonitorJob.class);

    private final MonitorOptions options;
    private final Clock clock;
    private final MonitorSources sources;
    private final MapFunction<RawRecord, RawRecord> afterSource;

    public SpcMonitorJob(MonitorOptions options, Clock clock, MonitorSources sources) {
        this(options, clock, sources, null);
    }

    /** With a function applied right after the measurement source: tests inject failures there. */
    SpcMonitorJob(MonitorOptions options, Clock clock, MonitorSources sources, MapFunction<RawRecord, RawRecord> afterSource) {
        this.options = options;
        this.clock = clock;
        this.sources = sources;
        this.afterSource = afterSource;
    }

    public static Configuration configuration(MonitorOptions o) {
        return JobSetup.configuration(NAME, o.checkpointInterval(), o.checkpointDir(), o.stateBackend(), o.parallelism(), o.restoreFrom(),
                3);
    }

    public void build(StreamExecutionEnvironment env) {
        DataStream<RawRecord> raw = sources.measurements(env);
        if (afterSource != null) {
            raw = raw.map(afterSource).name("after-source").uid("monitor-after-source");
        }
        DataStream<MeasurementPoint> points = raw
                .process(new ValidateFunction(clock), new BronzeRowType(Topic.PRODUCTION))
                .name("parse-validate").uid("monitor-parse-validate")
                .flatMap(new ToPoint(), TypeInformation.of(MeasurementPoint.class)).name("measurements").uid("monitor-measurements");
        BroadcastStream<PublishedLimits> limits = sources.limits(env)
                .flatMap(new ParseLimits(), TypeInformation.of(PublishedLimits.class)).name("parse-limits").uid("monitor-parse-limits")
                .assignTimestampsAndWatermarks(new AlwaysIdle()).name("limits-watermarks").uid("monitor-limits-watermarks")
                .broadcast(SpcMonitorFunction.LIMITS);
        DataStream<Alert> alerts = points
                .keyBy(MeasurementPoint::key, TypeInformation.of(String.class))
                .connect(limits)
                .process(new SpcMonitorFunction(options.grace().toMillis(), options.idleExpiry().toMillis(),
                        options.baselineSubgroups(), options.rules(), options.initialLimits()), TypeInformation.of(Alert.class))
                .name("spc-rules").uid("monitor-spc-rules");

        alerts.map(new AlertRows.ToAvro(), new BronzeRowType(Topic.ALERTS)).name("alert-rows").uid("monitor-alert-rows")
                .sinkTo(JobSetup.parquetSink(AlertRows.table(options.lake()), Topic.ALERTS, new AlertRows.ByEventDate()))
                .name("bronze-alerts").uid("monitor-bronze-alerts");
        if (options.alertsToKafka() && options.kafka() != null) {
            Properties producer = new Properties();
            producer.putAll(options.kafka());
            // must not exceed the broker's transaction.max.timeout.ms (15 min by default)
            producer.putIfAbsent("transaction.timeout.ms", "600000");
            alerts.sinkTo(KafkaSink.<Alert>builder()
                            .setKafkaProducerConfig(producer)
                            .setRecordSerializer(KafkaRecordSerializationSchema.<Alert>builder()
                                    .setTopic(options.topics().alerts())
                                    .setKeySerializationSchema(new AlertRows.Key())
                                    .setValueSerializationSchema(new AlertRows.Json()).build())
                            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                            .setTransactionalIdPrefix(options.transactionalIdPrefix())
                            .build())
                    .name("topic-alerts").uid("monitor-topic-alerts");
        }
    }

    public JobClient start() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(options));
        build(env);
        return env.executeAsync(NAME);
    }

    /** Runs to the end (bounded modes) or until cancelled; returns the counters. */
    public MonitorReport run() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(configuration(options));
        build(env);
        JobExecutionResult result = env.execute(NAME);
        return MonitorReport.from(result.getAllAccumulatorResults(), result.getNetRuntime());
    }

    /** MEASUREMENT rows become points; the other production events are not the monitor's business. */
    static final class ToPoint implements FlatMapFunction<GenericRecord, MeasurementPoint> {
        @Override
        public void flatMap(GenericRecord r, Collector<MeasurementPoint> out) {
            MeasurementPoint p = MeasurementPoint.of(r);
            if (p != null) {
                out.collect(p);
            }
        }
    }

    /** Parses limits messages; a bad one is counted and logged, never fatal (tombstones are skipped quietly). */
    static final class ParseLimits extends RichFlatMapFunction<byte[], PublishedLimits> {
        private transient LongCounter invalid;

        @Override
        public void open(OpenContext ctx) {
            invalid = new LongCounter();
            getRuntimeContext().addAccumulator(INVALID_LIMITS, invalid);
        }

        @Override
        public void flatMap(byte[] value, Collector<PublishedLimits> out) {
            if (value.length == 0) {
                return;
            }
            try {
                out.collect(PublishedLimits.parse(value));
            } catch (IllegalArgumentException e) {
                invalid.add(1);
                LOG.warn("skipped an invalid message on {}: {}", Topic.CONTROL_LIMITS.topicName(), e.getMessage());
            }
        }
    }

    /**
     * The limits stream carries no event time: it is always idle, so the operator's event time follows
     * the measurements alone. (A watermark at the end of time here would, while the measurements are
     * idle, fire every timer and close every open subgroup and characteristic.) A bounded limits source
     * still ends with the final watermark.
     */
    static final class AlwaysIdle implements WatermarkStrategy<PublishedLimits> {
        @Override
        public WatermarkGenerator<PublishedLimits> createWatermarkGenerator(WatermarkGeneratorSupplier.Context ctx) {
            return new WatermarkGenerator<>() {
                @Override
                public void onEvent(PublishedLimits event, long timestamp, WatermarkOutput out) {}

                @Override
                public void onPeriodicEmit(WatermarkOutput out) {
                    out.markIdle();
                }
            };
        }
    }
}
