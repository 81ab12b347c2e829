package io.qualitylake.batch.job;

import static org.apache.spark.sql.functions.lit;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;

/**
 * What one run of a gold job recomputes (SPEC §3 "Gold semantics"): every row ({@link #all}), the
 * rows of some calendar months ({@link #months}), or nothing at all ({@link #nothing}: its inputs
 * and as_of are those of its last successful run). A month is {@code yyyy-MM}; a month in scope
 * means every row whose period lies in that month (its days and the month itself) is recomputed
 * and replaced.
 */
public final class Scope {
    private final boolean all;
    private final Set<String> months;
    private final String reason;

    private Scope(boolean all, Set<String> months, String reason) {
        this.all = all;
        this.months = Collections.unmodifiableSet(new TreeSet<>(months));
        this.reason = reason;
    }

    public static Scope all(String reason) {
        return new Scope(true, Set.of(), reason);
    }

    public static Scope months(Set<String> months, String reason) {
        return new Scope(false, months, reason);
    }

    public static Scope nothing(String reason) {
        return new Scope(false, Set.of(), reason);
    }

    public boolean isAll() {
        return all;
    }

    public boolean isEmpty() {
        return !all && months.isEmpty();
    }

    /** The months recomputed (sorted); empty when {@link #isAll()}. */
    public Set<String> months() {
        return months;
    }

    public String reason() {
        return reason;
    }

    /** The earliest month in scope, or null for all/nothing. */
    public String firstMonth() {
        return months.isEmpty() ? null : ((TreeSet<String>) new TreeSet<>(months)).first();
    }

    /** A filter on a {@code yyyy-MM} column: true for rows in scope. */
    public Column covers(Column month) {
        if (all) {
            return lit(true);
        }
        return months.isEmpty() ? lit(false) : month.isin(months.toArray());
    }

    /**
     * A filter on a date column: true for dates in the months in scope, written as date ranges so
     * Delta skips the files whose statistics lie outside them.
     */
    public Column coversDate(Column date) {
        if (all) {
            return lit(true);
        }
        Column c = lit(false);
        for (String m : months) {
            java.time.YearMonth ym = java.time.YearMonth.parse(m);
            c = c.or(date.geq(lit(java.sql.Date.valueOf(ym.atDay(1)))).and(date.lt(lit(java.sql.Date.valueOf(ym.plusMonths(1).atDay(1))))));
        }
        return c;
    }

    /** For the run record: ALL, NONE or the months. */
    public String describe() {
        return all ? "ALL (" + reason + ")" : months.isEmpty() ? "NONE (" + reason + ")" : String.join(",", months);
    }

    /** Each month in scope and the {@code n} months after it, up to the month of {@code asOf}. */
    public Scope withFollowing(int n, java.time.LocalDate asOf) {
        if (all || months.isEmpty()) {
            return this;
        }
        Set<String> m = new TreeSet<>(months);
        java.time.YearMonth last = java.time.YearMonth.from(asOf);
        for (String s : months) {
            for (int i = 1; i <= n; i++) {
                java.time.YearMonth next = java.time.YearMonth.parse(s).plusMonths(i);
                if (!next.isAfter(last)) {
                    m.add(next.toString());
                }
            }
        }
        return new Scope(false, m, reason);
    }

    /** Each month in scope and the {@code n} months before it (inputs a month's figures look back on). */
    public Scope withPreceding(int n) {
        if (all || months.isEmpty()) {
            return this;
        }
        Set<String> m = new TreeSet<>(months);
        for (String s : months) {
            for (int i = 1; i <= n; i++) {
                m.add(java.time.YearMonth.parse(s).minusMonths(i).toString());
            }
        }
        return new Scope(false, m, reason);
    }

    /** This scope widened by more months (all stays all). */
    public Scope plus(Set<String> more, String why) {
        if (all || more.isEmpty()) {
            return this;
        }
        Set<String> m = new TreeSet<>(months);
        m.addAll(more);
        return new Scope(false, m, reason + "; " + why);
    }
}
