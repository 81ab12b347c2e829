package io.qualitylake.streaming.monitor;

import io.qualitylake.spc.Cusum;
import io.qualitylake.spc.Ewma;
import io.qualitylake.spc.NelsonRules;
import io.qualitylake.spc.Subgroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges one completed subgroup against a characteristic's limits (pure; the state object is
 * updated in place). Nelson 1–6 on z = (x̄ − center)/σ_point exactly as the batch capability job
 * (the same {@link NelsonRules} over the last {@link NelsonRules#WINDOW} points), then EWMA and CUSUM
 * when configured. EWMA and CUSUM use σ of a point of the chart's subgroup size.
 */
final class Charting {
    private Charting() {}

    static List<Alert> judge(ChartState s, Subgroup g, MonitorRules.Charts charts, String plant, String line,
                             String characteristic, long now) {
        List<Alert> out = new ArrayList<>();
        double sigmaPoint = s.sigmaOfPoint(g.k());
        double z = (g.mean() - s.center) / sigmaPoint;
        s.window = NelsonRules.append(s.window, z);
        int fired = NelsonRules.firedAtLast(s.window);
        for (int rule = 1; rule <= 6; rule++) {
            if ((fired & NelsonRules.bit(rule)) != 0) {
                out.add(alert(s, g, plant, line, characteristic, "NELSON_" + rule, g.mean(), s.center - 3 * sigmaPoint,
                        s.center + 3 * sigmaPoint, z, now));
            }
        }
        double sigmaChart = s.sigmaOfPoint(s.k);
        if (charts.ewma() != null) {
            s.ewmaCount++;
            Ewma.Point e = Ewma.next(charts.ewma(), s.center, sigmaChart, s.ewmaCount, s.ewma, g.mean());
            s.ewma = e.statistic();
            if (e.signal()) {
                out.add(alert(s, g, plant, line, characteristic, "EWMA", e.statistic(), e.lcl(), e.ucl(), e.z(), now));
            }
        }
        if (charts.cusum() != null) {
            Cusum.Point c = Cusum.next(charts.cusum(), s.center, sigmaChart, s.cusumUp, s.cusumDown, g.mean());
            s.cusumUp = c.upper();
            s.cusumDown = c.lower();
            if (c.signalUp()) {
                out.add(alert(s, g, plant, line, characteristic, "CUSUM_UP", c.upper(), null, c.decision(),
                        c.upper() / sigmaChart, now));
            }
            if (c.signalDown()) {
                out.add(alert(s, g, plant, line, characteristic, "CUSUM_DOWN", c.lower(), null, c.decision(),
                        c.lower() / sigmaChart, now));
            }
        }
        return out;
    }

    private static Alert alert(ChartState s, Subgroup g, String plant, String line, String characteristic, String rule,
                               double value, Double lcl, Double ucl, double z, long now) {
        Alert a = new Alert();
        a.alertId = Alert.id(plant, line, characteristic, g.id(), rule);
        a.plantId = plant;
        a.lineId = line;
        a.characteristicId = characteristic;
        a.subgroupId = g.id();
        a.subgroupTimeMillis = g.timeMillis();
        a.rule = rule;
        a.value = value;
        a.center = s.center;
        a.lcl = lcl;
        a.ucl = ucl;
        a.z = z;
        a.limitsSource = s.limitsSource;
        a.detectedAtMillis = now;
        return a;
    }
}
