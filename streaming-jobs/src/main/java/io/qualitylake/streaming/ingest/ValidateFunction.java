package io.qualitylake.streaming.ingest;

import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.QualityEvent;
import io.qualitylake.schemas.QuarantineRecord;
import io.qualitylake.schemas.Topic;
import io.qualitylake.schemas.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Parses and validates each record once (SPEC §2). Valid production events go to the main output,
 * valid field events to {@link #FIELD}, everything else to {@link #QUARANTINE} with its reason.
 * Identifiers are validated here, before any of them becomes a partition directory.
 */
public class ValidateFunction extends ProcessFunction<RawRecord, GenericRecord> implements CheckpointedFunction {
    public static final OutputTag<GenericRecord> FIELD =
            new OutputTag<>("field", new BronzeRowType(Topic.FIELD));
    public static final OutputTag<GenericRecord> QUARANTINE =
            new OutputTag<>("quarantine", new BronzeRowType(Topic.QUARANTINE));

    private final Clock clock;
    private final Counters counters = new Counters("validate-counters");
    private transient EventValidator validator;
    private transient Counters.Slot read;
    private transient LongMinimum firstIn;
    private transient LongMaximum lastParsed;

    public ValidateFunction(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void open(OpenContext ctx) {
        validator = new EventValidator();
        counters.open(getRuntimeContext());
        read = counters.slot(Counters.READ);
        firstIn = new LongMinimum();
        lastParsed = new LongMaximum();
        getRuntimeContext().addAccumulator(Counters.FIRST_IN_MS, firstIn);
        getRuntimeContext().addAccumulator(Counters.LAST_PARSED_MS, lastParsed);
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<GenericRecord> out) {
        read.inc();
        Instant now = clock.instant();
        long wall = System.currentTimeMillis();
        if (firstIn.getLocalValuePrimitive() == Long.MAX_VALUE) {
            firstIn.add(wall);
        }
        lastParsed.add(wall);
        Topic expected = raw.partition >= 0 ? Topic.byName(raw.source).orElse(null) : null;
        ValidationResult r = validator.validate(raw.value, expected, now);
        if (r instanceof ValidationResult.Valid v) {
            QualityEvent e = v.event();
            GenericRecord row = BronzeAvro.row(e, BronzeAvro.micros(now), raw.source, raw.partition, raw.offset);
            if (e.topic() == Topic.PRODUCTION) {
                out.collect(row);
            } else {
                ctx.output(FIELD, row);
            }
        } else {
            ValidationResult.Invalid inv = (ValidationResult.Invalid) r;
            counters.add(Counters.QUARANTINED_PREFIX + inv.reason().name(), 1);
            String text = new String(raw.value, StandardCharsets.UTF_8);
            ctx.output(QUARANTINE, BronzeAvro.quarantine(new QuarantineRecord(text, raw.source, raw.partition,
                    raw.offset, inv.reason(), inv.message(), now)));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        counters.snapshot(ctx);
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        counters.initialize(ctx);
    }

    @Override
    public void close() {
        counters.publish();
    }
}
