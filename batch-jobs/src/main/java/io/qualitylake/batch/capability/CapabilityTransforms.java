package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.var_samp;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
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
 * derives capability, limits and violations. Raw measurements never reach the driver, and there is
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

    public static Dataset<Row> capability(Dataset<Row> perCharacteristic, int baseline) {
        return perCharacteristic.flatMap((FlatMapFunction<Row, Row>) r -> {
            List<Row> out = new ArrayList<>();
            for (CharacteristicAnalysis.PeriodCapability p : analyse(r, baseline).capability()) {
                Capability.Result c = p.result();
                out.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), p.periodType(), p.period(),
                        c.n(), c.subgroups(), c.mean(), c.sigmaWithin(), c.sigmaOverall(), c.cp(), c.cpk(), c.pp(), c.ppk(),
                        c.lsl(), c.usl(), c.reason()));
            }
            return out.iterator();
        }, Encoders.row(CAPABILITY));
    }

    public static Dataset<Row> limits(Dataset<Row> perCharacteristic, int baseline) {
        return perCharacteristic.flatMap((FlatMapFunction<Row, Row>) r -> {
            CharacteristicAnalysis.Result a = analyse(r, baseline);
            ControlChart.Limits l = a.limits();
            int nelson1 = (int) a.violations().stream().filter(f -> f.rule() == 1).count();
            Row row = l == null
                    ? RowFactory.create(r.getString(0), r.getString(1), r.getString(2), null, null, null, null, null, null,
                            null, null, null, null, null, 0, 0, a.limitsReason())
                    : RowFactory.create(r.getString(0), r.getString(1), r.getString(2), l.chart().name(), l.center(), l.lcl(),
                            l.ucl(), l.rangeCenter(), l.rangeLcl(), l.rangeUcl(), l.baselineSubgroups(), l.k(), l.sigma(),
                            baselineEnd(r, l.baselineSubgroups()), a.monitored(), nelson1,
                            a.limitsReason() != null ? a.limitsReason() : l.note());
            return List.of(row).iterator();
        }, Encoders.row(LIMITS));
    }

    public static Dataset<Row> violations(Dataset<Row> perCharacteristic, int baseline) {
        return perCharacteristic.flatMap((FlatMapFunction<Row, Row>) r -> {
            List<Row> out = new ArrayList<>();
            for (CharacteristicAnalysis.Flag f : analyse(r, baseline).violations()) {
                out.add(RowFactory.create(r.getString(0), r.getString(1), r.getString(2), f.subgroup().id(),
                        new Timestamp(f.subgroup().timeMillis()), "NELSON_" + f.rule(), f.subgroup().mean(), f.z()));
            }
            return out.iterator();
        }, Encoders.row(VIOLATIONS));
    }

    private static CharacteristicAnalysis.Result analyse(Row r, int baseline) {
        return CharacteristicAnalysis.analyse(summaries(r), baseline);
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

    private static Timestamp baselineEnd(Row r, int baselineSubgroups) {
        Iterator<Subgroup> it = summaries(r).stream().sorted(java.util.Comparator.comparingLong(Subgroup::timeMillis)
                .thenComparing(Subgroup::id)).skip(baselineSubgroups - 1L).iterator();
        return it.hasNext() ? new Timestamp(it.next().timeMillis()) : null;
    }
}
