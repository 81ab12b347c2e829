package io.qualitylake.batch.capability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qualitylake.spc.Subgroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capability indices on a published example, hand-computed samples, and every undefined case. */
class CapabilityTest {
    /**
     * NIST/SEMATECH e-Handbook of Statistical Methods, §6.1.6 "What is Process Capability?"
     * (https://www.itl.nist.gov/div898/handbook/pmc/section1/pmc16.htm): USL = 20, LSL = 8, μ = 16,
     * σ = 2 gives Cp = 1, Cpk = min(0.6667, 1.3333) = 0.6667 (printed to 4 decimals).
     */
    @Test
    void nistHandbookExample() {
        Capability.Indices i = Capability.indices(16, 2.0, 8.0, 20.0);
        assertEquals(1.0, i.potential(), 1e-12);
        assertEquals(0.6667, i.actual(), 0.00005);
        assertEquals(1.3333, Capability.indices(16, 2.0, 8.0, null).actual(), 0.00005, "Cpl alone, lower-only spec");
        assertNull(Capability.indices(16, 2.0, 8.0, null).potential(), "Cp needs both limits");
    }

    /**
     * Two subgroups of 3, hand-computed: {9, 10, 11} and {10, 11, 12}. x̄ = 10.5; ranges 2, 2 →
     * σ_within = 2/d₂(3) = 2/1.693 = 1.181335; Σ(x − x̄)² = 2 + 2 + 6·0.25 = 5.5, σ_overall =
     * √(5.5/5) = 1.048809. With LSL 7, USL 13: Cp = 6/(6·1.181335) = 0.846500, Cpk = min(2.5, 3.5)/
     * (3·1.181335) = 0.705417, Pp = 6/(6·1.048809) = 0.953463, Ppk = 2.5/(3·1.048809) = 0.794552.
     */
    @Test
    void handComputedSample() {
        Capability.Result r = Capability.of(List.of(Subgroup.of("a", 0, 7.0, 13.0, 9, 10, 11),
                Subgroup.of("b", 1, 7.0, 13.0, 10, 11, 12)), 7.0, 13.0);
        assertEquals(6, r.n());
        assertEquals(10.5, r.mean(), 1e-12);
        assertEquals(1.181335, r.sigmaWithin(), 1e-6);
        assertEquals(1.048809, r.sigmaOverall(), 1e-6);
        assertEquals(0.846500, r.cp(), 1e-6);
        assertEquals(0.705417, r.cpk(), 1e-6);
        assertEquals(0.953463, r.pp(), 1e-6);
        assertEquals(0.794552, r.ppk(), 1e-6);
        assertNull(r.reason());
    }

    /** Individuals (k = 1): σ_within = MR̄/1.128; values 1, 3, 2, 4 → MR̄ = (2+1+2)/3 = 5/3, σ = 1.477541. */
    @Test
    void individualsUseTheMovingRange() {
        Capability.Result r = Capability.of(List.of(Subgroup.of("1", 1, 0.0, 5.0, 1), Subgroup.of("2", 2, 0.0, 5.0, 3),
                Subgroup.of("3", 3, 0.0, 5.0, 2), Subgroup.of("4", 4, 0.0, 5.0, 4)), 0.0, 5.0);
        assertEquals(5.0 / 3 / 1.128, r.sigmaWithin(), 1e-12);
        assertEquals(5 / (6 * (5.0 / 3 / 1.128)), r.cp(), 1e-12);
    }

    /** Mixed sizes: each subgroup's range over its own d₂: (2/1.693 + 4/2.326)/2. */
    @Test
    void mixedSubgroupSizesUseTheirOwnD2() {
        Capability.Result r = Capability.of(List.of(Subgroup.of("a", 0, 0.0, 20.0, 9, 10, 11),
                Subgroup.of("b", 1, 0.0, 20.0, 8, 10, 12, 11, 9)), 0.0, 20.0);
        assertEquals((2 / 1.693 + 4 / 2.326) / 2, r.sigmaWithin(), 1e-12);
        assertEquals(8, r.n());
    }

    @Test
    void undefinedCasesGiveNullsAndAReasonNeverInfinity() {
        Subgroup constant = Subgroup.of("c", 0, 1.0, 3.0, 2, 2, 2, 2, 2);
        Capability.Result flat = Capability.of(List.of(constant, Subgroup.of("d", 1, 1.0, 3.0, 2, 2, 2, 2, 2)), 1.0, 3.0);
        assertEquals(0.0, flat.sigmaWithin());
        assertNull(flat.cp());
        assertNull(flat.ppk());
        assertTrue(flat.reason().contains("sigma = 0"), flat.reason());

        Capability.Result single = Capability.of(List.of(Subgroup.of("s", 0, 1.0, 3.0, 2.5)), 1.0, 3.0);
        assertNull(single.sigmaOverall());
        assertNull(single.cpk());
        assertTrue(single.reason().startsWith("single value"), single.reason());

        Capability.Result inverted = Capability.of(List.of(Subgroup.of("a", 0, 5.0, 3.0, 3.9, 4.1, 4.0)), 5.0, 3.0);
        assertNull(inverted.cp());
        assertNull(inverted.cpk());
        assertNotNull(inverted.sigmaWithin(), "σ is still reported");
        assertTrue(inverted.reason().startsWith("inverted spec limits"), inverted.reason());

        Capability.Result noSpec = Capability.of(List.of(Subgroup.of("a", 0, null, null, 3.9, 4.1, 4.0)), null, null);
        assertNull(noSpec.cpk());
        assertEquals("no spec limits", noSpec.reason());

        Capability.Result upperOnly = Capability.of(List.of(Subgroup.of("a", 0, null, 5.0, 3.9, 4.1, 4.0)), null, 5.0);
        assertNull(upperOnly.cp());
        assertEquals(1.0 / (3 * 0.2 / 1.693), upperOnly.cpk(), 1e-12, "Cpu = (USL − x̄)/3σ_within");
        assertNull(upperOnly.reason());
    }
}
