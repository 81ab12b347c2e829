package io.qualitylake.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Valid example records of every event type, to mutate one field at a time in tests. */
final class Samples {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Fixed "now" for the future-time rule. */
    static final Instant INGEST = Instant.parse("2026-03-10T00:00:00Z");

    static final String UNIT_COMPLETED = """
            {"schema":"qlake.production/1","event_id":"P1-U-000001","event_type":"UNIT_COMPLETED",
             "event_time":"2026-03-01T08:15:30.123Z","plant_id":"P1","serial_no":"SN-000001",
             "product_model":"M100","line_id":"P1-L1","batch_id":"B-20260301-1","shift":"A",
             "result":"PASS","rework_count":0,"unit_value":1250.5,
             "components":[{"component":"battery","supplier_id":"S1","lot_id":"LOT-7"}]}""";
    static final String MEASUREMENT = """
            {"schema":"qlake.production/1","event_id":"P1-M-000001","event_type":"MEASUREMENT",
             "event_time":"2026-03-01T08:15:31Z","plant_id":"P1","line_id":"P1-L1","station_id":"ST10",
             "characteristic_id":"C-TORQUE","subgroup_id":"SG-1","value":12.31,"lsl":11.5,"usl":13.5,
             "target":12.5,"collection":"AUTO","serial_no":"SN-000001"}""";
    static final String DEFECT = """
            {"schema":"qlake.production/1","event_id":"P1-D-000001","event_type":"DEFECT",
             "event_time":"2026-03-01T08:16:00Z","plant_id":"P1","serial_no":"SN-000001","line_id":"P1-L1",
             "station_id":"ST10","defect_code":"SCRATCH","severity":"MINOR","disposition":"REWORK","cost":12.5}""";
    static final String SPOT_CHECK = """
            {"schema":"qlake.production/1","event_id":"P1-S-000001","event_type":"SPOT_CHECK",
             "event_time":"2026-03-01T10:00:00Z","plant_id":"P1","product_model":"M100",
             "batch_id":"B-20260301-1","checker":"REGULATOR","sample_size":50,"nonconforming":1,"passed":true}""";
    static final String UNIT_INSTALLED = """
            {"schema":"qlake.field/1","event_id":"F-I-000001","event_type":"UNIT_INSTALLED",
             "event_time":"2026-03-05T00:00:00Z","plant_id":"P1","serial_no":"SN-000001",
             "product_model":"M100","region":"East China"}""";
    static final String FIELD_FAILURE = """
            {"schema":"qlake.field/1","event_id":"F-F-000001","event_type":"FIELD_FAILURE",
             "event_time":"2026-03-08T12:00:00Z","plant_id":"P1","serial_no":"SN-000001",
             "product_model":"M100","failure_mode":"NO_START","claim_cost":320.0,"warranty":true,
             "operating_hours":77.5}""";

    static String of(EventType type) {
        return switch (type) {
            case UNIT_COMPLETED -> UNIT_COMPLETED;
            case MEASUREMENT -> MEASUREMENT;
            case DEFECT -> DEFECT;
            case SPOT_CHECK -> SPOT_CHECK;
            case UNIT_INSTALLED -> UNIT_INSTALLED;
            case FIELD_FAILURE -> FIELD_FAILURE;
        };
    }

    static ObjectNode node(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Samples() {}
}
