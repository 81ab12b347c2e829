package io.qualitylake.streaming.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.cli.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitorRulesTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAndPerCharacteristicOverridesTheMostSpecificWins() throws Exception {
        Path f = Files.writeString(tmp.resolve("rules.json"), """
                {"default": {"ewma": {"lambda": 0.2, "L": 3}, "cusum": {"k": 0.5, "h": 5}},
                 "characteristics": {"C-TORQUE": {"ewma": {"lambda": 0.1, "L": 2.7}, "cusum": null},
                                     "P01|L01|C-TORQUE": {"cusum": {"k": 0.25, "h": 8}}}}""");
        MonitorRules r = MonitorRules.read(f);
        MonitorRules.Charts other = r.forCharacteristic("P01", "L01", "C-BORE");
        assertEquals(0.2, other.ewma().lambda());
        assertEquals(5, other.cusum().h());
        MonitorRules.Charts torque = r.forCharacteristic("P02", "L03", "C-TORQUE");
        assertEquals(0.1, torque.ewma().lambda());
        assertNull(torque.cusum(), "null switches a chart off");
        MonitorRules.Charts exact = r.forCharacteristic("P01", "L01", "C-TORQUE");
        assertEquals(8, exact.cusum().h());
        assertEquals(0.2, exact.ewma().lambda(), "charts not named take the default");
        assertNull(MonitorRules.NELSON_ONLY.forCharacteristic("P", "L", "C").ewma());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "not JSON      ; {oops                                                  ; is not valid JSON",
            "top level     ; []                                                     ; must be a JSON object",
            "unknown field ; {\"defaults\": {}}                                     ; unknown field \"defaults\"",
            "lambda 2      ; {\"default\": {\"ewma\": {\"lambda\": 2, \"L\": 3}}}   ; default: EWMA lambda must be in (0, 1]",
            "h missing     ; {\"default\": {\"cusum\": {\"k\": 0.5}}}               ; default.cusum.h must be a number",
            "bad key       ; {\"characteristics\": {\"a|b\": {}}}                   ; characteristic key \"a|b\"",
            "unknown chart ; {\"characteristics\": {\"C1\": {\"shewhart\": {}}}}    ; characteristics.C1: unknown chart",
    })
    void anInvalidFileIsOneLineNamingTheFileAndThePlace(String label, String content, String expected) throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.json"), content);
        UserError e = assertThrows(UserError.class, () -> MonitorRules.read(f));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(f.toString()) && !e.getMessage().contains("\n"),
                label + ": " + e.getMessage());
    }

    @Test
    void aMissingFileIsOneLine() {
        UserError e = assertThrows(UserError.class, () -> MonitorRules.read(tmp.resolve("nope.json")));
        assertEquals("cannot read --rules file " + tmp.resolve("nope.json"), e.getMessage());
    }
}
