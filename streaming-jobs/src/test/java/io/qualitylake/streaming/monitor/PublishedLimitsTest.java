package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad limits messages are refused with a reason (the job counts and logs them, never dies). */
class PublishedLimitsTest {
    static final String OK = "\"plant_id\":\"P01\",\"line_id\":\"L01\",\"characteristic_id\":\"C1\"";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON            | {oops                                                                  | not JSON",
            "array               | [1,2]                                                                  | not a JSON object",
            "no chart            | {" + OK + ",\"chart\":null,\"reason\":\"constant process\"}             | no limits for P01|L01|C1: constant process",
            "bad chart           | {" + OK + ",\"chart\":\"P\",\"center\":1,\"sigma_within\":1,\"subgroup_size\":1} | chart must be",
            "no center           | {" + OK + ",\"chart\":\"I_MR\",\"sigma_within\":1,\"subgroup_size\":1}   | center missing",
            "sigma zero          | {" + OK + ",\"chart\":\"I_MR\",\"center\":1,\"sigma_within\":0,\"subgroup_size\":1} | sigma_within must be > 0",
            "size mismatch       | {" + OK + ",\"chart\":\"I_MR\",\"center\":1,\"sigma_within\":1,\"subgroup_size\":5} | chart I_MR does not fit",
            "fractional size     | {" + OK + ",\"chart\":\"XBAR_R\",\"center\":1,\"sigma_within\":1,\"subgroup_size\":4.5} | subgroup_size must be",
            "unsafe plant        | {\"plant_id\":\"../x\",\"line_id\":\"L\",\"characteristic_id\":\"C\"}     | plant_id missing or not an identifier",
            "bad baseline_end    | {" + OK + ",\"chart\":\"I_MR\",\"center\":1,\"sigma_within\":1,\"subgroup_size\":1,\"baseline_end\":\"yesterday\"} | baseline_end",
    })
    void invalidMessagesAreRefusedWithAReason(String label, String json, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PublishedLimits.parse(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith(reason), label + ": " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"epoch millis | 1772352000000", "iso | \"2026-03-01T08:00:00Z\""})
    void baselineEndIsAnInstantOrEpochMillis(String label, String value) {
        PublishedLimits l = PublishedLimits.parse(("{" + OK + ",\"chart\":\"I_MR\",\"center\":1,\"sigma_within\":1,"
                + "\"subgroup_size\":1,\"baseline_end\":" + value + "}").getBytes(StandardCharsets.UTF_8));
        assertEquals(1_772_352_000_000L, l.baselineEndMillis);
    }
}
