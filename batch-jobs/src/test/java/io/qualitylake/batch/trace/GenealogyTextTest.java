package io.qualitylake.batch.trace;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** trace's text output prints numbers for people; the values are the ones the newcomer's probe saw raw. */
class GenealogyTextTest {
    @Test
    void specLimitsAndValuesAreRoundedNotRaw() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event_time", "2026-01-05T08:00:00Z");
        m.put("characteristic_id", "GAP-01");
        m.put("value", 0.8612345678901);
        m.put("lsl", 0.75);
        m.put("usl", 0.8500000000000001);
        m.put("collection", "AUTO");
        m.put("out_of_spec", true);
        Map<String, Object> failure = new LinkedHashMap<>();
        failure.put("event_time", "2026-03-01T00:00:00Z");
        failure.put("failure_mode", "BEARING");
        failure.put("claim_cost", 1234.5);
        failure.put("warranty", true);
        failure.put("operating_hours", null);
        String text = new Genealogy("SN-1", null, List.of(), List.of(m), List.of(), List.of(), List.of(failure)).text();
        assertTrue(text.contains("0.861235  spec [0.75, 0.85]  AUTO  << OUT OF SPEC"), text);
        assertFalse(text.contains("0.8500000000000001"), text);
        assertTrue(text.contains("claim 1,234.5  warranty true  hours -"), text);
    }
}
