package io.qualitylake.ingestion.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.qualitylake.grading.Rubric;
import io.qualitylake.ingestion.simulate.World.Characteristic;
import io.qualitylake.ingestion.simulate.World.Line;
import io.qualitylake.ingestion.simulate.World.Plant;
import io.qualitylake.ingestion.simulate.World.Product;
import io.qualitylake.schemas.EventType;
import io.qualitylake.schemas.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the simulator planted (SPEC §6 truth.json), as an ordered map ready to write. */
public final class Truth {
    private final Map<String, Object> root;

    private Truth(Map<String, Object> root) {
        this.root = root;
    }

    public Map<String, Object> asMap() {
        return root;
    }

    /** Σ counts + duplicates + malformed: every record the simulator sent. */
    public long records() {
        return ((Number) root.get("records")).longValue();
    }

    /** truth.json line_months: per line and month the expected indicators, score and grade (see {@link ExpectedGrades}). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> lineMonths() {
        return (List<Map<String, Object>>) root.get("line_months");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Long> counts() {
        return (Map<String, Long>) root.get("counts");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> injected() {
        return (Map<String, Object>) root.get("injected");
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
    }

    static Truth of(World w, SimulationConfig c, Map<EventType, Long> counts, Faults f, long records) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("seed", c.seed());
        t.put("start_date", c.start().toString());
        t.put("end_date_exclusive", c.end().toString());
        t.put("days", c.days());
        t.put("as_of", c.end().minusDays(1).toString());
        t.put("units_per_line_per_day", c.unitsPerDay());

        List<Map<String, Object>> weibull = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Line l : w.lines) {
            Plant p = l.plant();
            Product m = l.product();
            if (!seen.add(m.model() + "/" + p.plantId())) {
                continue;
            }
            boolean bad = w.isBadLotGroup(p, m);
            weibull.add(map("product_model", m.model(), "plant_id", p.plantId(),
                    "beta", bad ? w.badLot.beta() : w.lifeBeta(m, p),
                    "eta_days", bad ? w.badLot.eta() : w.lifeEta(m, p),
                    "early_life_bad_lot", bad));
        }
        t.put("weibull", weibull);
        List<Map<String, Object>> repairable = new ArrayList<>();
        for (World.Repairable r : w.repairable) {
            repairable.add(map("product_model", r.product().model(), "plant_id", r.plant().plantId(),
                    "beta", r.beta(), "lambda", r.lambda(), "eta_days", round(r.eta()),
                    "worsening", r.beta() > 1));
        }
        t.put("repairable", repairable);

        List<Map<String, Object>> lines = new ArrayList<>();
        List<Map<String, Object>> chars = new ArrayList<>();
        for (Line l : w.lines) {
            Map<String, Object> mix = new LinkedHashMap<>();
            for (int i = 0; i < World.DEFECT_CODES.length; i++) {
                mix.put(World.DEFECT_CODES[i], round(l.defectMix()[i]));
            }
            lines.add(map("line_id", l.lineId(), "plant_id", l.plant().plantId(), "product_model", l.product().model(),
                    "fpy", round(l.fpy()), "true_quality", round(l.quality()), "defect_mix", mix));
            for (Characteristic ch : l.characteristics()) {
                chars.add(map("characteristic_id", ch.characteristicId(), "line_id", l.lineId(),
                        "station_id", ch.stationId(), "critical", ch.critical(), "mean", round(ch.mean()),
                        "sigma", round(ch.sigma()), "lsl", ch.lsl(), "usl", ch.usl(), "target", ch.target(),
                        "cpk", round(ch.cpk()), "distribution", ch.distribution(), "cpk_pct", round(ch.cpkPct())));
            }
        }
        t.put("lines", lines);
        t.put("characteristics", chars);
        Rubric rubric = Rubric.defaults();
        t.put("line_months_rubric", rubric.name());
        t.put("line_months", ExpectedGrades.lineMonths(w, c, rubric));

        List<Map<String, Object>> plants = new ArrayList<>();
        for (Plant p : w.plants) {
            World.Profile pr = p.enterprise().profile();
            plants.add(map("plant_id", p.plantId(), "enterprise_id", p.enterprise().enterpriseId(),
                    "true_quality", round(p.quality()), "auto_collection_share", pr.autoShare(),
                    "traceability_share", pr.traceabilityShare(), "coded_defect_share", pr.codedDefectShare(),
                    "spot_check_pass_probability", pr.spotPassProbability()));
        }
        t.put("plants", plants);

        World.Drift d = w.drift;
        t.put("drift", map("line_id", d.line().lineId(), "characteristic_id", d.characteristic().characteristicId(),
                "start_day", d.startDay(), "start_date", c.start().plusDays(d.startDay()).toString(),
                "shift_sigma", d.shiftSigma()));
        World.BadLot b = w.badLot;
        t.put("bad_lot", b == null ? null : map("lot_id", b.lotId(), "supplier_id", b.supplierId(), "component", b.component(),
                "plant_id", b.plant().plantId(), "product_model", b.product().model(),
                "hazard_ratio", round(b.hazardRatio()), "hazard_ratio_horizon_days", 45,
                "beta", b.beta(), "eta_days", b.eta()));
        t.put("regulator_failure", c.days() > 14
                ? map("plant_id", w.regulatorFailurePlant.plantId(), "date", c.start().plusDays(14).toString())
                : null);

        List<Map<String, Object>> ents = new ArrayList<>();
        for (World.Enterprise e : w.enterprises) {
            ents.add(map("enterprise_id", e.enterpriseId(), "cluster_id", e.cluster().clusterId(),
                    "expected_level", e.profile().level().name()));
        }
        t.put("enterprises", ents);

        Map<String, Object> byReason = new LinkedHashMap<>();
        for (Reason r : Reason.values()) {
            if (f.malformedByReason.containsKey(r)) {
                byReason.put(r.name(), f.malformedByReason.get(r));
            }
        }
        t.put("injected", map("duplicates", f.duplicates, "malformed", f.malformed, "late", f.late,
                "out_of_order", f.outOfOrder, "malformed_by_reason", byReason,
                "rates", map("duplicate", c.duplicateRate(), "malformed", c.malformedRate(),
                        "out_of_order", c.outOfOrderRate(), "late", c.lateRate())));
        Map<String, Long> cs = new LinkedHashMap<>();
        long valid = 0;
        for (EventType e : EventType.values()) {
            cs.put(e.name(), counts.get(e));
            valid += counts.get(e);
        }
        t.put("counts", cs);
        t.put("valid_unique_events", valid);
        t.put("records", records);
        return new Truth(t);
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
