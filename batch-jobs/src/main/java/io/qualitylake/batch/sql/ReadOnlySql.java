package io.qualitylake.batch.sql;

import io.qualitylake.cli.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import org.apache.spark.sql.execution.command.ExplainCommand;

/**
 * {@code qlake sql} is read-only. The decision is made on the logical plan that Spark's own parser
 * (with Delta's grammar in front, as the session has it) builds, never on the text: a statement is
 * accepted when it is a query (no node of its plan is a command or a write statement) or one of the
 * read-only commands SHOW, DESCRIBE (incl. Delta's DESCRIBE HISTORY/DETAIL) and EXPLAIN of a query.
 * At run time {@link #checkAnalyzed} looks again after analysis, where every write, however it was
 * spelled, has become a command.
 */
public final class ReadOnlySql {
    /** Read-only commands by class name (some live in Delta, which is not on every compile path). */
    static final Set<String> READ_ONLY_COMMANDS = Set.of(
            "ShowTables", "ShowTableExtended", "ShowNamespaces", "ShowColumns", "ShowFunctions", "ShowPartitions",
            "ShowCreateTable", "ShowTableProperties", "ShowViews", "ShowCatalogs", "ShowCurrentNamespace",
            "DescribeRelation", "DescribeColumn", "DescribeNamespace", "DescribeFunction",
            "DescribeDeltaHistory", "DescribeDeltaDetailCommand");

    /** Nodes that write although they are not commands before analysis. */
    static final Set<String> WRITE_NODES = Set.of("InsertIntoDir", "RestoreTableStatement");

    private ReadOnlySql() {}

    /** Spark's SQL parser with Delta's grammar in front; needs no SparkSession (used before the engine starts). */
    public static ParserInterface standaloneParser() {
        return new io.delta.sql.parser.DeltaSqlParser(new org.apache.spark.sql.execution.SparkSqlParser());
    }

    /**
     * Parses {@code sql} and returns its plan if it is read-only; a syntax error or a statement
     * that is not a query is a one-line {@link UserError}.
     */
    public static LogicalPlan check(ParserInterface parser, String sql) {
        LogicalPlan plan;
        try {
            plan = parser.parsePlan(sql);
        } catch (ParseException e) {
            throw new UserError("SQL syntax error: " + syntaxMessage(e));
        }
        String refused = refusal(plan);
        if (refused != null) {
            throw new UserError("qlake sql is read-only: " + refused + " is not a query (accepted: SELECT, WITH, VALUES, "
                    + "SHOW, DESCRIBE, EXPLAIN)");
        }
        return plan;
    }

    /** True for a query (not one of the read-only commands): its analysed plan is checked as well. */
    public static boolean isQuery(LogicalPlan parsed) {
        return !(parsed instanceof ExplainCommand) && !READ_ONLY_COMMANDS.contains(parsed.getClass().getSimpleName());
    }

    /** The analysed plan of an accepted query must hold no command either (writes end up as commands). */
    public static void checkAnalyzed(LogicalPlan analyzed) {
        for (LogicalPlan node : nodes(analyzed)) {
            if (node instanceof Command) {
                throw new UserError("qlake sql is read-only: the statement runs " + statementName(node) + ", which is not a query");
            }
        }
    }

    /** Null when the plan is read-only, else the name of the offending statement. */
    public static String refusal(LogicalPlan plan) {
        String root = plan.getClass().getSimpleName();
        if (plan instanceof ExplainCommand e) {
            return refusal(e.logicalPlan()) == null ? null : "EXPLAIN of " + refusal(e.logicalPlan());
        }
        if (READ_ONLY_COMMANDS.contains(root)) {
            return null;
        }
        for (LogicalPlan node : nodes(plan)) {
            String name = node.getClass().getSimpleName();
            if (node instanceof Command || node instanceof ParsedStatement || WRITE_NODES.contains(name)) {
                return statementName(node);
            }
        }
        return null;
    }

    /** Every node of the plan, including CTE definitions and other inner plans. */
    static List<LogicalPlan> nodes(LogicalPlan plan) {
        List<LogicalPlan> out = new ArrayList<>();
        collect(plan, out);
        return out;
    }

    private static void collect(LogicalPlan plan, List<LogicalPlan> out) {
        out.add(plan);
        scala.collection.Iterator<LogicalPlan> children = plan.children().iterator();
        while (children.hasNext()) {
            collect(children.next(), out);
        }
        scala.collection.Iterator<?> inner = plan.innerChildren().iterator();
        while (inner.hasNext()) {
            if (inner.next() instanceof LogicalPlan p) {
                collect(p, out);
            }
        }
    }

    /** DELETE, INSERT, DROP TABLE ... from the plan class (DeleteFromTable → DELETE FROM). */
    static String statementName(LogicalPlan node) {
        String n = node.getClass().getSimpleName();
        return switch (n) {
            case "DeleteFromTable" -> "DELETE";
            case "UpdateTable" -> "UPDATE";
            case "MergeIntoTable" -> "MERGE";
            case "InsertIntoStatement", "InsertIntoDir", "AppendData", "OverwriteByExpression", "OverwritePartitionsDynamic",
                    "InsertIntoHadoopFsRelationCommand", "InsertIntoDataSourceDirCommand" -> "INSERT";
            case "DropTable", "DropTableCommand" -> "DROP TABLE";
            case "TruncateTable" -> "TRUNCATE";
            case "SetCommand", "ResetCommand", "SetCatalogAndNamespace" -> n.startsWith("Reset") ? "RESET" : n.startsWith("Set")
                    && n.contains("Namespace") ? "USE" : "SET";
            default -> n.replaceAll("(Command|Statement)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
        };
    }

    /** The first non-empty line of an engine message, at most 300 characters. */
    public static String firstLine(String msg) {
        String first = (msg == null ? "" : msg).lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("bad SQL");
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
    }

    /** Spark's parse message without the echoed statement and caret lines. */
    static String syntaxMessage(ParseException e) {
        return firstLine(e.getMessage());
    }
}
