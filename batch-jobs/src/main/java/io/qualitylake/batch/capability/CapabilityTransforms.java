package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.var_samp;

import io.qualitylake.spc.ControlChart;
import io.qualitylake.spc.Subgroup;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark side of the capability job, in two passes over silver: (1) one aggregation of measurements
 * to subgroup summaries (size, mean, Σ squared deviations, range, time, spec); (2) one shuffle that
 * gathers each characteristic's summaries on an executor, where {@link CharacteristicAnalysis}
 * derives capability, limits and violations once; the three tables are projections of that. Raw measurements never reach the driver, and there is
 * no Spark job per characteristic.
 */
public final class CapabilityTransforms {
    private CapabilityTransforms() {}

    static final String[] KEYS = {"plant_id", "line_id", "characteristic_id"};

    /** Pass 1: per plant × line × characteristic × subgroup. */
    public static Dataset<Row> subgroups(Dataset<Row> measurements) {
        return measurements.filter(col("value").isNotNull())
                .groupBy(col("plant_id"), col("line_id"), col("characteristic_id"), col("subgroup_id"))
                .agg(count(lit(1)).cast("int").as("k"), avg("value").as("mean"),
                        coalesce(var_samp("value").multiply(count(lit(1)).minus(1)), lit(0.0)).as("m2"),
                        min("value").as("min"), max("value").as("max"), min("event_time").as("time"),
                        max_by(col("lsl"), col("event_time")).as("lsl"), max_by(col("usl"), col("event_time")).as("usl"));
    }

    /** Pass 2: one row per characteristic with its subgroup summaries (kept for the three outputs). */
    public static Dataset<Row> perCharacteristic(Dataset<Row> subgroups) {
        return subgroups.groupBy(KEYS[0], KEYS[1], KEYS[2])
                .agg(collect_list(struct("subgroup_id", "time", "k", "mean", "m2", "min", "max", "lsl", "usl")).as("sg"));
    }

    public static final StructType CAPABILITY = new StructType()
            .add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("characteristic_id", DataTypes.StringType).add("period_type", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("n", DataTypes.LongType).add("subgroups", DataTypes.IntegerType)
            .add("mean", DataTypes.DoubleType).add("sigma_within", DataTypes.DoubleType)
            .add("sigma_overall", DataTypes.DoubleType).add("cp", DataTypes.DoubleType).add("cpk", DataTypes.DoubleType)
            .add("pp", DataTypes.DoubleType).add("ppk", DataTypes.DoubleType).add("lsl", DataTypes.DoubleType)
            .add("usl", DataTypes.DoubleType).add("reason", DataTypes.StringType);

    public static final StructType LIMITS = new StructType()
            .add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("characteristic_id", DataTypes.StringType).add("chart", DataTypes.StringType)
            .add("center", DataTypes.DoubleType).add("lcl", DataTypes.DoubleType).add("ucl", DataTypes.DoubleType)
            .add("range_center", DataTypes.DoubleType).add("range_lcl", DataTypes.DoubleType)
            .add("range_ucl", DataTypes.DoubleType).add("baseline_subgroups", DataTypes.IntegerType)
            .add("subgroup_size", DataTypes.IntegerType).add("sigma_within", DataTypes.DoubleType)
            .add("baseline_end", DataTypes.TimestampType).add("monitored_subgroups", DataTypes.IntegerType)
            .add("violating_subgroups_nelson_1", DataTypes.IntegerType).add("reason", DataTypes.StringType);

    public static final StructType VIOLATIONS = new StructType()
            .add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("characteristic_id", DataTypes.StringType).add("subgroup_id", DataTypes.StringType)
            .add("subgroup_time", DataTypes.TimestampType).add("rule", DataTypes.StringType)
            .add("value", DataTypes.DoubleType).add("z", DataTypes.DoubleType);

    /** One row per characteristic: its capability rows, its limits row and its violations, analysed once. */
    public static final StructType ANALYSED = new StructType()
            .add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("characteristic_id", DataTypes.StringType)
            .add("capability", DataTypes.createArrayType(CAPABILITY)).add("limits", LIMITS)
            .add("violations", DataTypes.createArrayType(VIOLATIONS));

    /** Pass 2: {@link CharacteristicAnalysis} once per characteristic, on an executor. */
    public static Dataset<Row> analyse(Dataset<Row> perCharacteristic, int baseline) {
        return perCharacteristic.map((MapFunction<Row, Row>) r -> {
            String plant = r.getString(0);
            String line = r.getString(1);
            String id = r.getString(2);
            CharacteristicAnalysis.Result a = CharacteristicAnalysis.analyse(summaries(r), baseline);
            List<Row> cap = new ArrayList<>();
            for (CharacteristicAnalysis.PeriodCapability p : a.capability()) {
                Capability.Result c = p.result();
                cap.add(RowFactory.create(plant, line, id, p.periodType(), p.period(), c.n(), c.subgroups(), c.mean(),
                        c.sigmaWithin(), c.sigmaOverall(), c.cp(), c.cpk(), c.pp(), c.ppk(), c.lsl(), c.usl(), c.reason()));
            }
            ControlChart.Limits l = a.limits();
            int nelson1 = (int) a.violations().stream().filter(f -> f.rule() == 1).count();
            Row limits = l == null
                    ? RowFactory.create(plant, line, id, null, null, null, null, null, null, null, null, null, null, null, 0, 0,
                            a.limitsReason())
                    : RowFactory.create(plant, line, id, l.chart().name(), l.center(), l.lcl(), l.ucl(), l.rangeCenter(),
                            l.rangeLcl(), l.rangeUcl(), l.baselineSubgroups(), l.k(), l.sigma(),
                            new Timestamp(a.baselineEndMillis()), a.monitored(), nelson1,
                            a.limitsReason() != null ? a.limitsReason() : l.note());
            List<Row> flags = new ArrayList<>();
            for (CharacteristicAnalysis.Flag f : a.violations()) {
                flags.add(RowFactory.create(plant, line, id, f.subgroup().id(), new Timestamp(f.subgroup().timeMillis()),
                        "NELSON_" + f.rule(), f.subgroup().mean(), f.z()));
            }
            return RowFactory.create(plant, line, id, seq(cap), limits, seq(flags));
        }, Encoders.row(ANALYSED));
    }

    private static scala.collection.Seq<Row> seq(List<Row> rows) {
        return scala.collection.JavaConverters.asScalaBuffer(rows).toSeq();
    }

    public static Dataset<Row> capability(Dataset<Row> analysed) {
        return analysed.select(explode(col("capability")).as("c")).select("c.*");
    }

    public static Dataset<Row> limits(Dataset<Row> analysed) {
        return analysed.select("limits.*");
    }

    public static Dataset<Row> violations(Dataset<Row> analysed) {
        return analysed.select(explode(col("violations")).as("v")).select("v.*");
    }

    static List<Subgroup> summaries(Row r) {
        List<Row> sg = r.getList(3);
        List<Subgroup> out = new ArrayList<>(sg.size());
        for (Row g : sg) {
            out.add(new Subgroup(g.getString(0), g.getTimestamp(1).getTime(), g.getInt(2), g.getDouble(3), g.getDouble(4),
                    g.getDouble(5), g.getDouble(6), g.isNullAt(7) ? null : g.getDouble(7), g.isNullAt(8) ? null : g.getDouble(8)));
        }
        return out;
    }

}
