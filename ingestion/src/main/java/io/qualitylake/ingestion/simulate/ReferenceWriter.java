package io.qualitylake.ingestion.simulate;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.qualitylake.ingestion.simulate.World.Characteristic;
import io.qualitylake.ingestion.simulate.World.Line;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes the world's dimensions as SPEC §2 reference files: DIR/&lt;dimension&gt;.jsonl. */
public final class ReferenceWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceWriter() {}

    public static void write(World w, Path dir) throws IOException {
        Files.createDirectories(dir);
        write(dir, "enterprises", w.enterprises.stream().map(e -> Truth.map("enterprise_id", e.enterpriseId(),
                "name", e.name(), "cluster_id", e.cluster().clusterId(), "region", e.cluster().region())).toList());
        write(dir, "plants", w.plants.stream().map(p -> Truth.map("plant_id", p.plantId(),
                "enterprise_id", p.enterprise().enterpriseId(), "name", "Plant " + p.plantId())).toList());
        write(dir, "lines", w.lines.stream().map(l -> Truth.map("line_id", l.lineId(), "plant_id", l.plant().plantId(),
                "process", "assembly")).toList());
        write(dir, "products", w.products.stream().map(p -> Truth.map("product_model", p.model(), "family", p.family(),
                "warranty_months", p.warrantyMonths(), "opportunities_per_unit", p.opportunities(),
                "duty_hours_per_day", p.dutyHours())).toList());
        write(dir, "characteristics", w.lines.stream().flatMap((Line l) -> l.characteristics().stream()
                .map((Characteristic c) -> Truth.map("characteristic_id", c.characteristicId(),
                        "product_model", l.product().model(), "station_id", c.stationId(), "lsl", c.lsl(),
                        "usl", c.usl(), "target", c.target(), "critical", c.critical())))
                .toList());
        write(dir, "suppliers", w.suppliers.stream().map(s -> Truth.map("supplier_id", s, "name", "Supplier " + s)).toList());
    }

    private static void write(Path dir, String name, List<Map<String, Object>> rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(name + ".jsonl"), StandardCharsets.UTF_8)) {
            for (Map<String, Object> row : rows) {
                out.write(JSON.writeValueAsString(row));
                out.write('\n');
            }
        }
    }
}
