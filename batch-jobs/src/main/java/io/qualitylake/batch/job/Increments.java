package io.qualitylake.batch.job;

import static org.apache.spark.sql.functions.col;

import io.qualitylake.batch.lake.ChangeFeed;
import io.qualitylake.batch.job.Tables;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides a gold job's {@link Scope} from its last successful run (ops.job_runs) and the change data
 * feed of each input since the version that run read (SPEC §3): the months whose inputs changed —
 * new, late or restating events — plus the months the as_of cut-off moved through. Anything the feed
 * cannot answer (a first run, changed options, an older as_of, a dimension change, a table without a
 * feed) makes the run recompute everything, and says why.
 */
public final class Increments {
    private Increments() {}

    /**
     * One input of a job: a Delta table and how its changed rows map to affected months (a frame with
     * one string column of {@code yyyy-MM}); a null mapper means any change affects every month.
     */
    public record Input(String name, String path, Function<Dataset<Row>, Dataset<Row>> months, boolean fromThenOn) {
        public Input(String name, String path, Function<Dataset<Row>, Dataset<Row>> months) {
            this(name, path, months, false);
        }

        public static Input wholesale(String name, String path) {
            return new Input(name, path, null, false);
        }

        /** A change in month M affects M and every later month (e.g. an install adds exposure until as_of). */
        public Input onwards() {
            return new Input(name, path, months, true);
        }

        /** A gold input: its changed rows' partition month. */
        public static Input gold(JobContext ctx, String table) {
            return new Input("gold." + table, ctx.lake().gold(table), PERIOD_MONTH_OF);
        }
    }

    /**
     * @param outputs gold tables the job writes: a missing one forces a full run
     */
    public static Scope decide(SparkSession spark, JobContext ctx, List<Input> inputs, List<String> outputs) {
        PastRun prev = ctx.previous();
        // versions as this decision saw them: recorded, so the next run starts where this one did
        long[] current = new long[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            current[i] = Tables.exists(spark, in.path()) ? Tables.version(spark, in.path()) : -1;
            if (current[i] >= 0) {
                ctx.read(in.name(), current[i]);
            }
        }
        if (prev == null) {
            return Scope.all("first run");
        }
        if (!ctx.fingerprint().equals(prev.options() == null ? "" : prev.options())) {
            return Scope.all("options changed since run " + prev.runId());
        }
        if (prev.asOf() == null || ctx.asOf().isBefore(prev.asOf())) {
            return Scope.all("restatement: as_of " + ctx.asOf() + " is before the current " + prev.asOf());
        }
        for (String out : outputs) {
            String table = out.substring(out.lastIndexOf('/') + 1);
            if (!Tables.exists(spark, out)) {
                return Scope.all(table + " is missing");
            }
            boolean gold = out.contains("/" + io.qualitylake.schemas.LakeLayout.GOLD + "/");
            if (gold && !java.util.Arrays.asList(spark.read().format("delta").load(out).columns()).contains(Tables.RUN_ID)) {
                return Scope.all(table + " has the layout of an earlier version (as_of slices)");
            }
        }
        Set<String> months = new TreeSet<>(monthsBetween(prev.asOf(), ctx.asOf()));
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            Long before = prev.versionsRead().get(in.name());
            long now = current[i];
            if (now < 0 || (before != null && before == now)) {
                continue;
            }
            long from = before == null ? -1 : before;
            if (before != null && before < now && !RunMemo.<Boolean>answer(List.of("dataChanged", in.path(), from, now),
                    () -> io.qualitylake.batch.lake.Delta.dataChanged(spark, in.path(), before, now))) {
                continue; // only VACUUM or OPTIMIZE commits since the last run read it
            }
            if (in.months() == null) {
                return Scope.all(in.name() + " changed");
            }
            if (before != null && before > now) {
                return Scope.all(in.name() + " is older than the last run read (restored?)");
            }
            try {
                // several jobs map the same table's same versions alike (e.g. measurements by month): asked once a run
                TreeSet<String> touched = RunMemo.answer(List.of("months", in.path(), from, now, in.months()),
                        () -> touchedMonths(spark, in, from, now));
                if (touched == null) {
                    return Scope.all(in.name() + " has no change feed for versions after " + before);
                }
                months.addAll(in.fromThenOn() && !touched.isEmpty() ? monthsFrom(YearMonth.parse(touched.first()), ctx.asOf()) : touched);
            } catch (Exception e) {
                return Scope.all(in.name() + " has no change feed for versions after " + before);
            }
        }
        String last = YearMonth.from(ctx.asOf()).toString();
        months.removeIf(m -> m.compareTo(last) > 0); // changes after the cut-off do not count yet
        if (months.isEmpty()) {
            return Scope.nothing("inputs and as_of unchanged since run " + prev.runId());
        }
        return Scope.months(months, "changed since run " + prev.runId());
    }

    /** The months the input's rows changed in versions after {@code from} up to {@code to} touch; null without a change feed. */
    private static TreeSet<String> touchedMonths(SparkSession spark, Input in, long from, long to) {
        Dataset<Row> changes = ChangeFeed.between(spark, in.path(), from, to);
        if (changes == null) {
            return null;
        }
        TreeSet<String> touched = new TreeSet<>();
        for (Row r : in.months().apply(changes).distinct().collectAsList()) {
            if (!r.isNullAt(0)) {
                touched.add(r.getString(0));
            }
        }
        return touched;
    }

    /** The months of the days after {@code from} up to {@code to} (none when equal). */
    static Set<String> monthsBetween(LocalDate from, LocalDate to) {
        Set<String> out = new TreeSet<>();
        for (LocalDate d = from.plusDays(1); !d.isAfter(to); d = d.plusDays(1)) {
            out.add(YearMonth.from(d).toString());
        }
        return out;
    }

    /** Every month from {@code first} to the month of {@code asOf}. */
    public static Set<String> monthsFrom(YearMonth first, LocalDate asOf) {
        Set<String> out = new TreeSet<>();
        for (YearMonth m = first; !m.isAfter(YearMonth.from(asOf)); m = m.plusMonths(1)) {
            out.add(m.toString());
        }
        return out;
    }

    /** A gold job whose tables have no periods: recompute everything when anything changed, else nothing. */
    public static Scope decideWhole(SparkSession spark, JobContext ctx, List<Input> inputs, List<String> outputs) {
        Scope s = decide(spark, ctx, inputs, outputs);
        return s.isEmpty() || s.isAll() ? s : Scope.all(s.reason());
    }

    /** Mapper: the month of a date column of the changed rows (one mapper per column, so {@link RunMemo} knows it again). */
    public static Function<Dataset<Row>, Dataset<Row>> monthOf(String dateColumn) {
        return MONTH_OF.computeIfAbsent(dateColumn,
                c -> changes -> changes.select(org.apache.spark.sql.functions.date_format(col(c), "yyyy-MM")));
    }

    private static final java.util.Map<String, Function<Dataset<Row>, Dataset<Row>>> MONTH_OF = new java.util.concurrent.ConcurrentHashMap<>();

    /** Mapper of a gold input: its changed rows' partition month. */
    private static final Function<Dataset<Row>, Dataset<Row>> PERIOD_MONTH_OF = changes -> changes.select(col(Tables.PERIOD_MONTH));

    /** Mapper: the month of a yyyy-MM or yyyy-MM-dd {@code period} column. */
    public static Function<Dataset<Row>, Dataset<Row>> monthOfPeriod(String periodColumn) {
        return changes -> changes.select(org.apache.spark.sql.functions.substring(col(periodColumn), 1, 7));
    }
}
