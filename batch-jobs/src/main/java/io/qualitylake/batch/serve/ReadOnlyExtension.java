package io.qualitylake.batch.serve;

import io.qualitylake.batch.sql.ReadOnlySql;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.SparkSessionExtensions;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.TableIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * Makes every session of {@code qlake serve} read-only with the rule of {@code qlake sql}
 * ({@link ReadOnlySql#refusal}): the parser in front of Spark's (and Delta's) refuses any statement that is
 * not a query or a read-only command, so DDL and DML reach the client as an SQL error and nothing runs.
 * {@code USE db} is accepted too (BI drivers send it when a connection names a database). The server's own
 * table registrations run inside {@link #internally}.
 */
public final class ReadOnlyExtension extends AbstractFunction1<SparkSessionExtensions, BoxedUnit> {
    private static final ThreadLocal<Boolean> INTERNAL = ThreadLocal.withInitial(() -> false);

    @Override
    public BoxedUnit apply(SparkSessionExtensions ext) {
        ext.injectParser(new AbstractFunction2<SparkSession, ParserInterface, ParserInterface>() {
            @Override
            public ParserInterface apply(SparkSession session, ParserInterface delegate) {
                return new Guard(delegate);
            }
        });
        return BoxedUnit.UNIT;
    }

    /** Runs the server's own statements (table registration) past the guard. */
    public static <T> T internally(java.util.concurrent.Callable<T> work) throws Exception {
        INTERNAL.set(true);
        try {
            return work.call();
        } finally {
            INTERNAL.set(false);
        }
    }

    /** Null when a client may run the plan, else the one-line reason it is refused. */
    static String refusal(LogicalPlan plan) {
        String name = plan.getClass().getSimpleName();
        if (name.equals("SetCatalogAndNamespace") || name.equals("SetNamespaceCommand")) {
            return null; // USE db: changes only this connection's current database
        }
        String refused = ReadOnlySql.refusal(plan);
        return refused == null ? null : "the lake is read-only through qlake serve: " + refused
                + " is not a query (accepted: SELECT, WITH, VALUES, SHOW, DESCRIBE, EXPLAIN, USE)";
    }

    /** Spark's parser with the read-only check on every statement a client sends. */
    static final class Guard implements ParserInterface {
        private final ParserInterface delegate;

        Guard(ParserInterface delegate) {
            this.delegate = delegate;
        }

        @Override
        public LogicalPlan parsePlan(String sqlText) throws ParseException {
            LogicalPlan plan = delegate.parsePlan(sqlText);
            if (!INTERNAL.get()) {
                String refused = refusal(plan);
                if (refused != null) {
                    throw new ReadOnlyViolation(refused);
                }
            }
            return plan;
        }

        @Override
        public Expression parseExpression(String sqlText) throws ParseException {
            return delegate.parseExpression(sqlText);
        }

        @Override
        public TableIdentifier parseTableIdentifier(String sqlText) throws ParseException {
            return delegate.parseTableIdentifier(sqlText);
        }

        @Override
        public FunctionIdentifier parseFunctionIdentifier(String sqlText) throws ParseException {
            return delegate.parseFunctionIdentifier(sqlText);
        }

        @Override
        public Seq<String> parseMultipartIdentifier(String sqlText) throws ParseException {
            return delegate.parseMultipartIdentifier(sqlText);
        }

        @Override
        public StructType parseTableSchema(String sqlText) throws ParseException {
            return delegate.parseTableSchema(sqlText);
        }

        @Override
        public DataType parseDataType(String sqlText) throws ParseException {
            return delegate.parseDataType(sqlText);
        }

        @Override
        public LogicalPlan parseQuery(String sqlText) throws ParseException {
            return delegate.parseQuery(sqlText);
        }
    }

    /** What a client sees when it tries to change the lake. */
    public static final class ReadOnlyViolation extends UnsupportedOperationException {
        ReadOnlyViolation(String message) {
            super(message);
        }
    }
}
