package io.qualitylake.streaming.monitor;

import io.qualitylake.ingestion.sink.InMemorySink;
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
    /**
     * Subgroups whose last measurement comes, in file order, after the last measurement of a subgroup
     * later in chart order: judged in the order they complete, these would be out of order.
     */
    final int subgroupsCompletingOutOfOrder;
    /** The limits the batch function derives per characteristic, as the capability job would publish them. */
    final Map<String, PublishedLimits> batchLimits = new HashMap<>();

    MonitorWorld(SimulationConfig config) {
        InMemorySink sink = new InMemorySink();
        Simulator sim = new Simulator(config);
        truth = sim.run(sink, d -> {});
        records = sink.records();
        EventValidator v = new EventValidator();
        Map<String, Map<String, List<Measurement>>> bySubgroup = new HashMap<>();
        Map<String, Integer> completedAt = new HashMap<>(); // key|subgroup → file position of its last measurement
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            if (v.validate(records.get(i), null, Instant.parse("2026-11-21T00:00:00Z")) instanceof ValidationResult.Valid ok
                    && ok.event() instanceof Measurement m && seen.add(m.eventId())) {
                String key = MeasurementPoint.key(m.plantId(), m.lineId(), m.characteristicId());
                bySubgroup.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(m.subgroupId(), k -> new ArrayList<>()).add(m);
                completedAt.put(key + "|" + m.subgroupId(), i);
            }
        }
        int[] disordered = {0};
        bySubgroup.forEach((key, groups) -> {
            List<Subgroup> subgroups = new ArrayList<>();
            groups.forEach((id, ms) -> subgroups.add(Subgroup.of(id, ms.stream().mapToLong(m -> m.eventTime().toEpochMilli()).min()
                    .orElseThrow(), null, null, ms.stream().mapToDouble(Measurement::value).toArray())));
            List<Subgroup> ordered = SpcAnalysis.ordered(subgroups);
            int laterDone = Integer.MAX_VALUE; // earliest completion among the subgroups after this one in chart order
            for (int i = ordered.size() - 1; i >= 0; i--) {
                int done = completedAt.get(key + "|" + ordered.get(i).id());
                if (done > laterDone) {
                    disordered[0]++;
                }
                laterDone = Math.min(laterDone, done);
            }
            String[] k = key.split("\\|");
            SpcAnalysis.Result chart = SpcAnalysis.analyse(ordered, 25);
            if (chart.limits() != null) {
                PublishedLimits l = new PublishedLimits();
                l.plantId = k[0];
                l.lineId = k[1];
                l.characteristicId = k[2];
                l.chart = chart.limits().chart().name();
                l.center = chart.limits().center();
                l.sigma = chart.limits().sigma();
                l.subgroupSize = chart.limits().k();
                l.baselineSubgroups = chart.limits().baselineSubgroups();
                l.baselineEndMillis = chart.baselineEndMillis();
                batchLimits.put(key, l);
            }
            for (SpcAnalysis.Flag f : chart.violations()) {
                String rule = "NELSON_" + f.rule();
                batchHits.add(key + "|" + f.subgroup().id() + "|" + rule);
                batchAlertIds.add(Alert.id(k[0], k[1], k[2], f.subgroup().id(), rule));
            }
        });
        subgroupsCompletingOutOfOrder = disordered[0];
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
