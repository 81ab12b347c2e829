package io.qualitylake.batch.grading;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * The 95 % intervals of the enterprise criteria (per enterprise × month row of
 * {@link GradingTransforms#enterpriseCriteria}): shares are exact binomial (Clopper–Pearson) on
 * their own denominators, AFR against the peer median is exact Poisson (Garwood) on the failures
 * with the median held fixed. Ranks (fpy_percentile, afr_percentile) and loss rates carry no
 * sampling interval and are taken at face value. The quality-loss criteria are pending (met = null)
 * while the period's loss is not yet mature ({@link LossMaturity}).
 */
final class CriterionIntervals {
    private CriterionIntervals() {}

    /** Share criterion → the column holding its denominator. */
    static final Map<String, String> DENOMINATORS = Map.of(
            "installed_with_production_record", "installs_n",
            "nonfirstpass_with_coded_defect", "nonfirstpass_n",
            "lines_measuring_critical", "lines",
            "traceability_coverage", "units",
            "spot_check_pass_rate", "spot_checks_n",
            "critical_cpk_share", "critical_measured",
            "auto_collection_rate", "measurements_n",
            "nelson1_subgroup_share", "subgroups");

    static CapabilityLevels.Evidence evidence(Row r, Map<String, Double> values) {
        Map<String, double[]> iv = new LinkedHashMap<>();
        for (Map.Entry<String, String> d : DENOMINATORS.entrySet()) {
            Double v = values.get(d.getKey());
            Number n = number(r, d.getValue());
            if (v != null && !v.isNaN() && n != null && n.longValue() > 0) {
                long trials = n.longValue();
                double[] ci = GradeUncertainty.binomial(Math.round(v * trials), trials);
                if (ci != null) {
                    iv.put(d.getKey(), ci);
                }
            }
        }
        Number failures = number(r, "failures");
        Number unitDays = number(r, "unit_days");
        Number median = number(r, "afr_peer_median");
        if (failures != null && unitDays != null && median != null && unitDays.doubleValue() > 0 && median.doubleValue() > 0) {
            double[] k = GradeUncertainty.poisson(failures.doubleValue());
            iv.put("afr_vs_peer_median", new double[] {GradeUncertainty.afrPct(k[0], unitDays.doubleValue()) / median.doubleValue(),
                    GradeUncertainty.afrPct(k[1], unitDays.doubleValue()) / median.doubleValue()});
        }
        Map<String, String> pending = new LinkedHashMap<>();
        int note = r.fieldIndex("quality_loss_note");
        if (!r.isNullAt(note)) {
            pending.put("quality_loss_rate_change", r.getString(note));
            pending.put("quality_loss_rate", r.getString(note));
        }
        return new CapabilityLevels.Evidence(values, iv, pending);
    }

    private static Number number(Row r, String c) {
        int i = r.fieldIndex(c);
        return r.isNullAt(i) ? null : (Number) r.get(i);
    }
}
