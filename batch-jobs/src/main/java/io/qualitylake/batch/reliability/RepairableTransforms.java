package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Repairable systems (SPEC §4): every field failure of an installed unit is a recurrence on that
 * unit's age axis (days since install), and each unit is observed until the end of as_of. The MCF
 * table and the Crow-AMSAA fit are computed per product_model × plant_id and for plant_id ALL; each
 * group's units are gathered on an executor (never on the driver), as the Weibull fits are.
 */
public final class RepairableTransforms {
    private static final double MICROS_PER_DAY = 86_400_000_000.0;

    private RepairableTransforms() {}

    /**
     * One row per unit installed before {@code end}: product_model, plant_id, end_days (age at the end
     * of observation) and ages (array of its recurrence ages in days, failures at or after install and
     * before {@code end}; empty when none).
     *
     * @param lives the reliability job's per-unit lives (serial_no, installed_at, product_model, plant_id)
     */
    public static Dataset<Row> systems(Dataset<Row> lives, Dataset<Row> failures, Timestamp end) {
        Dataset<Row> units = lives.select("serial_no", "installed_at", "product_model", "plant_id");
        Dataset<Row> recurrences = failures.filter(col("event_time").lt(lit(end)))
                .select(col("serial_no"), col("event_time").as("failed_at"))
                .join(units.select("serial_no", "installed_at"), "serial_no")
                .filter(col("failed_at").geq(col("installed_at")))
                .withColumn("age", unix_micros(col("failed_at")).minus(unix_micros(col("installed_at"))).divide(MICROS_PER_DAY))
                .groupBy("serial_no").agg(collect_list("age").as("ages"));
        return units.join(recurrences, "serial_no", "left")
                .withColumn("end_days", unix_micros(lit(end)).minus(unix_micros(col("installed_at"))).divide(MICROS_PER_DAY))
                .select(col("product_model"), col("plant_id"), col("end_days"),
                        org.apache.spark.sql.functions.coalesce(col("ages"), org.apache.spark.sql.functions.array().cast("array<double>")).as("ages"));
    }

    public static final StructType MCF = new StructType()
            .add("product_model", DataTypes.StringType, false).add("plant_id", DataTypes.StringType, false)
            .add("t_days", DataTypes.DoubleType, false).add("at_risk", DataTypes.IntegerType, false)
            .add("events", DataTypes.IntegerType, false).add("mcf", DataTypes.DoubleType, false)
            .add("mcf_var", DataTypes.DoubleType, false).add("ci_lo", DataTypes.DoubleType, true)
            .add("ci_hi", DataTypes.DoubleType, true);

    /** gold.reliability_mcf: Nelson's MCF at each recurrence age, per model × plant (ALL too). */
    public static Dataset<Row> mcf(Dataset<Row> systems) {
        return perGroup(systems, MCF, (model, plant, g) -> {
            List<Row> out = new ArrayList<>();
            for (Mcf.Point p : Mcf.estimate(g.pooledAges(), g.ends, Mcf.Z95)) {
                out.add(RowFactory.create(model, plant, p.t(), p.atRisk(), p.events(), p.mcf(), p.variance(), p.lower(), p.upper()));
            }
            return out;
        });
    }

    public static final StructType GROWTH = new StructType()
            .add("product_model", DataTypes.StringType, false).add("plant_id", DataTypes.StringType, false)
            .add("n_systems", DataTypes.IntegerType, false).add("n_failures", DataTypes.IntegerType, false)
            .add("beta", DataTypes.DoubleType, true).add("beta_lo", DataTypes.DoubleType, true)
            .add("beta_hi", DataTypes.DoubleType, true).add("lambda", DataTypes.DoubleType, true)
            .add("cum_mtbf_days", DataTypes.DoubleType, true).add("inst_mtbf_days", DataTypes.DoubleType, true)
            .add("laplace_stat", DataTypes.DoubleType, true).add("laplace_p", DataTypes.DoubleType, true)
            .add("trend", DataTypes.StringType, true).add("method", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, true);

    /** gold.reliability_growth: the Crow-AMSAA fit per model × plant (ALL too). */
    public static Dataset<Row> growth(Dataset<Row> systems) {
        return perGroup(systems, GROWTH, (model, plant, g) -> {
            CrowAmsaa.Fit f = CrowAmsaa.fit(g.ends, g.ages);
            return List.of(RowFactory.create(model, plant, f.systems(), f.failures(), f.beta(), f.betaLo(), f.betaHi(),
                    f.lambda(), f.cumMtbf(), f.instMtbf(), f.laplaceStat(), f.laplaceP(), f.trend(),
                    "CROW_AMSAA_MLE_TIME_TERMINATED", f.reason()));
        });
    }

    /** The output rows of one group of systems: a model's systems at one plant, or at all of them ("ALL"). */
    private interface GroupRows extends java.io.Serializable {
        List<Row> rows(String model, String plant, Group systems);
    }

    /**
     * The systems gathered per model × plant by Spark's own aggregation (no per-row objects), then
     * each model's plants on one executor: every plant's group, and the model's group over all plants
     * under plant_id ALL.
     */
    private static Dataset<Row> perGroup(Dataset<Row> systems, StructType schema, GroupRows f) {
        return systems.groupBy("product_model", "plant_id").agg(collect_list(struct(col("end_days"), col("ages"))).as("systems"))
                .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (model, cells) -> {
                    List<Row> out = new ArrayList<>();
                    List<Group> plants = new ArrayList<>();
                    while (cells.hasNext()) {
                        Row c = cells.next();
                        Group g = Group.of(c.getList(2));
                        plants.add(g);
                        out.addAll(f.rows(model, String.valueOf(c.getString(1)), g));
                    }
                    out.addAll(f.rows(model, "ALL", Group.concat(plants)));
                    return out.iterator();
                }, Encoders.row(schema));
    }

    /** One group's systems (end of observation, recurrence ages), gathered on the executor. */
    private record Group(double[] ends, double[][] ages) {
        static Group of(List<Row> systems) {
            double[] ends = new double[systems.size()];
            double[][] ages = new double[systems.size()][];
            for (int s = 0; s < ends.length; s++) {
                Row r = systems.get(s);
                ends[s] = r.getDouble(0);
                List<Double> a = r.getList(1);
                ages[s] = new double[a.size()];
                for (int i = 0; i < a.size(); i++) {
                    ages[s][i] = a.get(i);
                }
            }
            return new Group(ends, ages);
        }

        static Group concat(List<Group> groups) {
            int n = groups.stream().mapToInt(g -> g.ends.length).sum();
            double[] ends = new double[n];
            double[][] ages = new double[n][];
            int at = 0;
            for (Group g : groups) {
                System.arraycopy(g.ends, 0, ends, at, g.ends.length);
                System.arraycopy(g.ages, 0, ages, at, g.ages.length);
                at += g.ends.length;
            }
            return new Group(ends, ages);
        }

        double[] pooledAges() {
            int n = 0;
            for (double[] a : ages) {
                n += a.length;
            }
            double[] out = new double[n];
            int i = 0;
            for (double[] a : ages) {
                System.arraycopy(a, 0, out, i, a.length);
                i += a.length;
            }
            return out;
        }
    }
}
