package io.qualitylake.batch.reliability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
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
    private static final String SEP = "\u0001";

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

    /** The systems once per plant and once more under plant_id ALL. */
    private static Dataset<Row> withAllPlants(Dataset<Row> systems) {
        return systems.unionByName(systems.withColumn("plant_id", lit("ALL")));
    }

    public static final StructType MCF = new StructType()
            .add("product_model", DataTypes.StringType, false).add("plant_id", DataTypes.StringType, false)
            .add("t_days", DataTypes.DoubleType, false).add("at_risk", DataTypes.IntegerType, false)
            .add("events", DataTypes.IntegerType, false).add("mcf", DataTypes.DoubleType, false)
            .add("mcf_var", DataTypes.DoubleType, false).add("ci_lo", DataTypes.DoubleType, true)
            .add("ci_hi", DataTypes.DoubleType, true);

    /** gold.reliability_mcf: Nelson's MCF at each recurrence age, per model × plant (ALL too). */
    public static Dataset<Row> mcf(Dataset<Row> systems) {
        return grouped(withAllPlants(systems)).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
            String[] k = key.split(SEP, -1);
            Group g = Group.of(rows);
            List<Row> out = new ArrayList<>();
            for (Mcf.Point p : Mcf.estimate(g.pooledAges(), g.ends, Mcf.Z95)) {
                out.add(RowFactory.create(k[0], k[1], p.t(), p.atRisk(), p.events(), p.mcf(), p.variance(), p.lower(), p.upper()));
            }
            return out.iterator();
        }, Encoders.row(MCF));
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
        return grouped(withAllPlants(systems)).flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
            String[] k = key.split(SEP, -1);
            Group g = Group.of(rows);
            CrowAmsaa.Fit f = CrowAmsaa.fit(g.ends, g.ages);
            return List.of(RowFactory.create(k[0], k[1], f.systems(), f.failures(), f.beta(), f.betaLo(), f.betaHi(),
                    f.lambda(), f.cumMtbf(), f.instMtbf(), f.laplaceStat(), f.laplaceP(), f.trend(),
                    "CROW_AMSAA_MLE_TIME_TERMINATED", f.reason())).iterator();
        }, Encoders.row(GROWTH));
    }

    private static org.apache.spark.sql.KeyValueGroupedDataset<String, Row> grouped(Dataset<Row> systems) {
        return systems.groupByKey((MapFunction<Row, String>) r -> r.getString(0) + SEP + r.getString(1), Encoders.STRING());
    }

    /** One group's systems, gathered on the executor. */
    private record Group(double[] ends, double[][] ages) {
        static Group of(Iterator<Row> rows) {
            List<Double> ends = new ArrayList<>();
            List<double[]> ages = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                ends.add(r.getDouble(2));
                List<Double> a = r.getList(3);
                double[] arr = new double[a.size()];
                for (int i = 0; i < arr.length; i++) {
                    arr[i] = a.get(i);
                }
                ages.add(arr);
            }
            return new Group(ends.stream().mapToDouble(Double::doubleValue).toArray(), ages.toArray(new double[0][]));
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
