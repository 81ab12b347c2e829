package io.qualitylake.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LakeLayoutTest {
    @Test
    void partitionsFollowSpecSection3() {
        assertEquals("bronze/production", LakeLayout.bronze(Topic.PRODUCTION));
        assertEquals("event_date=2026-03-01/plant_id=P1", LakeLayout.eventPartition("2026-03-01", "P1"));
        assertEquals("ingest_date=2026-11-21", LakeLayout.quarantinePartition("2026-11-21"));
        assertEquals("ops/ingest_stats", LakeLayout.ingestStats());
    }

    @Test
    void anUncheckedPlantIdNeverBecomesAPath() {
        assertThrows(IllegalArgumentException.class, () -> LakeLayout.eventPartition("2026-03-01", "../etc"));
        assertThrows(IllegalArgumentException.class, () -> LakeLayout.eventPartition("2026-03-01", ""));
    }
}
