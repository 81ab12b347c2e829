package io.qualitylake.batch.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.batch.testkit.BatchTestSupport;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The control-limits feed: one keyed message per characteristic, the limits row as JSON, a tombstone without limits. */
class ControlLimitsFeedTest {
    static final SparkSession SPARK = BatchTestSupport.spark();

    @Test
    void oneKeyedJsonMessagePerCharacteristicAndATombstoneWithoutLimits() throws Exception {
        var limits = SPARK.createDataFrame(List.of(
                RowFactory.create("P01", "L01", "C1", "XBAR_R", 10.0, 8.0, 12.0, 2.0, 0.0, 4.2, 25, 5, 1.5,
                        Timestamp.from(java.time.Instant.parse("2026-03-01T08:00:00Z")), 40, 1, null),
                RowFactory.create("P01", "L01", "C2", null, null, null, null, null, null, null, null, null, null, null, 0, 0,
                        "constant process in the baseline")), CapabilityTransforms.LIMITS);
        List<ControlLimitsFeed.Message> m = ControlLimitsFeed.messages(limits).stream()
                .sorted(Comparator.comparing(ControlLimitsFeed.Message::key)).toList();
        assertEquals(List.of("P01|L01|C1", "P01|L01|C2"), m.stream().map(ControlLimitsFeed.Message::key).toList());
        JsonNode c1 = new ObjectMapper().readTree(m.get(0).value());
        assertEquals("XBAR_R", c1.get("chart").asText());
        assertEquals(1.5, c1.get("sigma_within").asDouble());
        assertEquals(5, c1.get("subgroup_size").asInt());
        // the monitor reads baseline_end as an ISO-8601 instant (sessions run in UTC)
        assertEquals("2026-03-01T08:00:00.000Z", c1.get("baseline_end").asText());
        assertNull(m.get(1).value(), "no limits: a tombstone removes any the monitor holds");
    }
}
