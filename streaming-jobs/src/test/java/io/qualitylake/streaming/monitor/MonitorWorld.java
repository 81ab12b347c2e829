package io.qualitylake.streaming.monitor;

import io.qualitylake.ingestion.simulate.InMemorySink;
import io.qualitylake.ingestion.simulate.SimulationConfig;
import io.qualitylake.ingestion.simulate.Simulator;
import io.qualitylake.ingestion.simulate.Truth;
import io.qualitylake.schemas.EventValidator;
import io.qualitylake.schemas.Measurement;
import io.qualitylake.schemas.ValidationResult;
import io.qualitylake.spc.SpcAnalysis;
import io.qualitylake.spc.Subgroup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A simulated world with a planted drift, as a JSONL file, and the batch truth for it: the Nelson
 * (rule, subgroup) hits of {@link SpcAnalysis} — the capability job's function — over each
 * characteristic's subgroups, built independently of the monitor from the validated, deduplicated
 * measurements (what silver holds).
 */
final class MonitorWorld {
    final List<byte[]> records;
    final Truth truth;
    /** {@code plant|line|characteristic|subgroup|NELSON_r} */
    final Set<String> batchHits = new TreeSet<>();
    final Set<String> batchAlertIds = new HashSet<>();

    MonitorWorld(SimulationConfig config) {
        InMemorySink sink = new InMemorySink();
        Simulator sim = new Simulator(config);
        truth = sim.run(sink, d -> {});
        records = sink.records();
        EventValidator v = new EventValidator();
        Map<String, Map<String, List<Measurement>>> bySubgroup = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (byte[] r : records) {
            if (v.validate(r, null, Instant.parse("2026-11-21T00:00:00Z")) instanceof ValidationResult.Valid ok
                    && ok.event() instanceof Measurement m && seen.add(m.eventId())) {
                bySubgroup.computeIfAbsent(MeasurementPoint.key(m.plantId(), m.lineId(), m.characteristicId()), k -> new HashMap<>())
                        .computeIfAbsent(m.subgroupId(), k -> new ArrayList<>()).add(m);
            }
        }
        bySubgroup.forEach((key, groups) -> {
            List<Subgroup> subgroups = new ArrayList<>();
            groups.forEach((id, ms) -> subgroups.add(Subgroup.of(id, ms.stream().mapToLong(m -> m.eventTime().toEpochMilli()).min()
                    .orElseThrow(), null, null, ms.stream().mapToDouble(Measurement::value).toArray())));
            String[] k = key.split("\\|");
            for (SpcAnalysis.Flag f : SpcAnalysis.analyse(SpcAnalysis.ordered(subgroups), 25).violations()) {
                String rule = "NELSON_" + f.rule();
                batchHits.add(key + "|" + f.subgroup().id() + "|" + rule);
                batchAlertIds.add(Alert.id(k[0], k[1], k[2], f.subgroup().id(), rule));
            }
        });
    }

    Path write(Path file) throws java.io.IOException {
        Files.write(file, records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).toList());
        return file;
    }

    @SuppressWarnings("unchecked")
    String driftCharacteristic() {
        return ((Map<String, Object>) truth.asMap().get("drift")).get("characteristic_id").toString();
    }
}
