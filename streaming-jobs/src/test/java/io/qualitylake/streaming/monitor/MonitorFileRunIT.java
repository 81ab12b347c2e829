package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.qualitylake.cli.Cli;
import io.qualitylake.streaming.StreamingCli;
import io.qualitylake.streaming.ingest.BronzeFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** qlake monitor from the command line on a file: a real Flink run (local mini-cluster) writes bronze/alerts. */
class MonitorFileRunIT {
    @TempDir
    Path tmp;

    /** One valid MEASUREMENT of P01/L01/C1, subgroup G{i}, at 08:0{i} (i &lt; 10). */
    static String measurement(int i, double value) {
        return "{\"schema\":\"qlake.production/1\",\"event_id\":\"m-" + i + "\",\"event_type\":\"MEASUREMENT\","
                + "\"event_time\":\"2026-03-01T08:0" + i + ":00Z\",\"plant_id\":\"P01\",\"line_id\":\"L01\",\"station_id\":\"S1\","
                + "\"characteristic_id\":\"C1\",\"subgroup_id\":\"G" + i + "\",\"value\":" + value
                + ",\"lsl\":-10,\"usl\":10,\"target\":0,\"collection\":\"AUTO\"}";
    }

    /**
     * Published I–MR limits (center 0, σ 1) from --limits and a CUSUM k = 0.5, h = 4 from --rules: the
     * values 1.5 ×5 then 4 give C⁺ = 1, 2, 3, 4, 5 (signal at G5, hand) and 5 + 3.5 = 8.5 at G6, and G6
     * (4 &gt; 3σ) breaks Nelson 1; Nelson 6 completes at G5 and continues at G6. Invalid records are
     * skipped by the validator, as in the ingest.
     */
    @Test
    @Timeout(180)
    void aFileRunWritesTheAlertsWithPublishedLimitsAndTheRulesFile() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            lines.add(measurement(i, 1.5));
        }
        lines.add(measurement(6, 4));
        lines.add("{not json");
        Path in = Files.write(tmp.resolve("in.jsonl"), lines);
        Path limits = Files.writeString(tmp.resolve("limits.jsonl"), "{\"plant_id\":\"P01\",\"line_id\":\"L01\","
                + "\"characteristic_id\":\"C1\",\"chart\":\"I_MR\",\"center\":0,\"sigma_within\":1,\"subgroup_size\":1}\n");
        Path rules = Files.writeString(tmp.resolve("rules.json"), "{\"default\": {\"cusum\": {\"k\": 0.5, \"h\": 4}}}");
        Path lake = tmp.resolve("lake");
        int exit = Cli.run(new StreamingCli(), new String[] {"monitor", "--lake", lake.toString(), "--from-file", in.toString(),
                "--limits", limits.toString(), "--rules", rules.toString(), "--checkpoint-interval", "300ms", "--parallelism", "1"});
        assertEquals(0, exit);
        List<String> got = new ArrayList<>();
        for (GenericRecord r : BronzeFiles.read(lake.resolve("bronze/alerts"))) {
            assertEquals("BATCH", r.get("limits_source").toString());
            got.add(r.get("subgroup_id") + " " + r.get("rule") + " " + r.get("value"));
        }
        got.sort(String::compareTo);
        assertEquals(List.of("G5 CUSUM_UP 5.0", "G5 NELSON_6 1.5", "G6 CUSUM_UP 8.5", "G6 NELSON_1 4.0", "G6 NELSON_6 4.0"), got);
    }
}
