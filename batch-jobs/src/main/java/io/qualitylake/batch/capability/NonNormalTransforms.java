package io.qualitylake.batch.capability;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The non-normal capability columns of gold.process_capability (SPEC §4): the Anderson–Darling test
 * needs a period's raw values, which the subgroup summaries of {@link CapabilityTransforms} do not
 * keep. One extra pass over the measurements gathers each characteristic × UTC month on an executor
 * (never on the driver) and evaluates {@link NonNormalCapability} for the month and for each of its
 * days. Cost: one more read of silver.measurements and one shuffle of (key, time, value, lsl, usl) per
 * measurement; per group, sorting that month's values (n log n) and fitting four candidates.
 *
 * <p>Periods follow each measurement's own event time (the summaries use the subgroup's first time: a
 * subgroup that straddles midnight UTC can count in one day here and the next day there). The spec
 * in force is the latest measurement's of the period, as for the normal-theory indices.
 */
public final class NonNormalTransforms {
    private static final String SEP = "\u0001";

    private NonNormalTransforms() {}

    public static final StructType NON_NORMAL = new StructType()
            .add("plant_id", DataTypes.StringType).add("line_id", DataTypes.StringType)
            .add("characteristic_id", DataTypes.StringType).add("period_type", DataTypes.StringType)
            .add("period", DataTypes.StringType).add("distribution", DataTypes.StringType)
            .add("normality_p", DataTypes.DoubleType).add("cp_pct", DataTypes.DoubleType)
            .add("cpk_pct", DataTypes.DoubleType).add("ppm_expected", DataTypes.DoubleType)
            .add("distribution_note", DataTypes.StringType);

    /** One row per plant × line × characteristic × period (DAY and MONTH) with the non-normal columns. */
    public static Dataset<Row> perPeriod(Dataset<Row> measurements) {
        Dataset<Row> m = measurements.filter(col("value").isNotNull())
                .select(col("plant_id"), col("line_id"), col("characteristic_id"),
                        date_format(col("event_time"), "yyyy-MM").as("month"), date_format(col("event_time"), "yyyy-MM-dd").as("day"),
                        col("event_time").cast("long").as("t"), col("value"), col("lsl"), col("usl"));
        return m.groupByKey((MapFunction<Row, String>) r -> r.getString(0) + SEP + r.getString(1) + SEP + r.getString(2)
                        + SEP + r.getString(3), Encoders.STRING())
                .flatMapGroups((FlatMapGroupsFunction<String, Row, Row>) (key, rows) -> {
                    String[] k = key.split(SEP, -1);
                    List<Row> all = new ArrayList<>();
                    rows.forEachRemaining(all::add);
                    all.sort(Comparator.comparingLong(r -> r.getLong(5)));
                    List<Row> out = new ArrayList<>();
                    out.add(row(k, "MONTH", k[3], all));
                    Map<String, List<Row>> days = new LinkedHashMap<>();
                    for (Row r : all) {
                        days.computeIfAbsent(r.getString(4), d -> new ArrayList<>()).add(r);
                    }
                    days.forEach((day, rs) -> out.add(row(k, "DAY", day, rs)));
                    return out.iterator();
                }, Encoders.row(NON_NORMAL));
    }

    private static Row row(String[] k, String type, String period, List<Row> rows) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i).getDouble(6);
        }
        Row latest = rows.get(rows.size() - 1);
        Double lsl = latest.isNullAt(7) ? null : latest.getDouble(7);
        Double usl = latest.isNullAt(8) ? null : latest.getDouble(8);
        NonNormalCapability.Result r = NonNormalCapability.analyse(v, lsl, usl);
        return RowFactory.create(k[0], k[1], k[2], type, period, r.distribution(), r.normalityP(), r.cpPct(), r.cpkPct(),
                r.ppmExpected(), r.note());
    }
}
