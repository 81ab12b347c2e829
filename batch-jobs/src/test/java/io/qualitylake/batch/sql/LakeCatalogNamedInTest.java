package io.qualitylake.batch.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Which lake tables a one-off {@code qlake sql} statement registers: those it names, never fewer. */
class LakeCatalogNamedInTest {
    static final List<String> LAKE = List.of("bronze.production", "bronze.field", "silver.production_units",
            "silver.installs", "gold.line_grades", "gold.quality_kpis", "ops.job_runs", "ops.ingest_stats");

    static List<String> registered(String sql) {
        Predicate<String> wanted = LakeCatalog.namedIn(sql);
        return LAKE.stream().filter(wanted).toList();
    }

    @Test
    void aQueryGetsTheTablesItNamesWhereverItNamesThem() {
        assertEquals(List.of("gold.line_grades"), registered("SELECT * FROM gold.line_grades"));
        assertEquals(List.of(), registered("SELECT 1"));
        assertEquals(List.of("silver.installs", "gold.quality_kpis"), registered("""
                WITH k AS (SELECT * FROM GOLD . Quality_KPIs)
                SELECT * FROM k WHERE plant_id IN (SELECT plant_id FROM `silver`.`installs`)"""));
        assertEquals(List.of("bronze.production", "ops.job_runs"),
                registered("SELECT count(*) FROM bronze.production JOIN spark_catalog.ops.job_runs ON true"));
        assertEquals(List.of("gold.line_grades"), registered("DESCRIBE HISTORY gold.line_grades"));
    }

    @Test
    void aZoneNamedOnItsOwnGetsAllItsTables() {
        assertEquals(List.of("gold.line_grades", "gold.quality_kpis"), registered("SHOW TABLES IN gold"));
        assertEquals(List.of("ops.job_runs", "ops.ingest_stats"), registered("show tables from `ops`"));
    }

    @Test
    void aColumnOrAnAliasCalledLikeAZoneRegistersNothingMore() {
        assertEquals(List.of("gold.line_grades"), registered("SELECT t.gold FROM gold.line_grades t"));
        // a table name that only looks like one of ours is no lake table: the analyser then reports it as unknown
        assertEquals(List.of(), registered("SELECT * FROM golden.line_grades"));
    }
}
