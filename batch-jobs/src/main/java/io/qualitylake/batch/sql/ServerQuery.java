package io.qualitylake.batch.sql;

import io.qualitylake.batch.format.TextTable;
import io.qualitylake.cli.UserError;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code qlake sql} through a running {@code qlake serve}: the statement goes over the HiveServer2 protocol
 * (Hive's JDBC driver), so no Spark starts in this JVM; the result is written in the same three formats as
 * {@link ResultWriter}, with the same limit rule (one row more is fetched to know whether rows were left out).
 */
public final class ServerQuery {
    /** Seconds to wait for the TCP connection and the login before giving up. */
    static final int LOGIN_TIMEOUT_SECONDS = 10;

    private ServerQuery() {}

    /** The JDBC URL of a server at "host:port". */
    public static String url(String hostPort) {
        return "jdbc:hive2://" + hostPort + "/default";
    }

    /** Whether "host:port" is a well-formed address; a one-line error otherwise. */
    public static String checkAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || !hostPort.substring(colon + 1).matches("\\d{1,5}")) {
            throw new UserError("--server must be HOST:PORT, got '" + hostPort + "'");
        }
        return hostPort;
    }

    public static ResultWriter.Written run(String hostPort, String user, String password, String sql, String format,
            int limit, PrintStream out) {
        Properties p = new Properties();
        p.setProperty("user", user == null ? "anonymous" : user);
        p.setProperty("password", password == null ? "" : password);
        DriverManager.setLoginTimeout(LOGIN_TIMEOUT_SECONDS);
        try {
            Class.forName("org.apache.hive.jdbc.HiveDriver");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the Hive JDBC driver is not on the classpath", e);
        }
        Connection c;
        try {
            c = DriverManager.getConnection(url(hostPort), p);
        } catch (SQLException e) {
            throw new UserError("cannot reach qlake serve at " + hostPort + ": " + firstCause(e));
        }
        Statement s = null;
        try {
            s = c.createStatement();
            if (limit > 0) {
                s.setMaxRows(limit + 1);
            }
            if (!s.execute(sql)) {
                return new ResultWriter.Written(0, false);
            }
            ResultSet rs = s.getResultSet();
            try {
                return write(rs, format, limit, out);
            } finally {
                closeQuietly(rs);
            }
        } catch (SQLException e) {
            throw new UserError(serverMessage(e));
        } finally {
            closeQuietly(s); // the answer is complete; a failure to release the server's handles is not the query's
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the server frees an abandoned session when the connection drops
            }
        }
    }

    static ResultWriter.Written write(ResultSet rs, String format, int limit, PrintStream out) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>();
        boolean[] numeric = new boolean[n];
        for (int i = 1; i <= n; i++) {
            names.add(unqualified(md.getColumnLabel(i)));
            numeric[i - 1] = isNumeric(md.getColumnType(i));
        }
        TextTable table = format.equals("table") ? new TextTable(names, numeric) : null;
        if (format.equals("csv")) {
            out.println(ResultWriter.csvLine(names));
        }
        long rows = 0;
        boolean more = false;
        while (rs.next()) {
            if (limit > 0 && rows == limit) {
                more = true;
                break;
            }
            List<Object> values = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                values.add(rs.getObject(i));
            }
            switch (format) {
                case "csv" -> out.println(ResultWriter.csvLine(values.stream().map(v -> v == null ? "" : String.valueOf(v)).toList()));
                case "json" -> out.println(jsonLine(names, values, md));
                default -> table.add(cells(values));
            }
            rows++;
        }
        if (table != null) {
            out.print(table.render());
            out.printf("(%,d row%s)%n", rows, rows == 1 ? "" : "s");
        }
        out.flush();
        return new ResultWriter.Written(rows, more);
    }

    private static List<String> cells(List<Object> values) {
        org.apache.spark.sql.Row row = org.apache.spark.sql.RowFactory.create(values.toArray());
        return ResultWriter.cells(row);
    }

    /** One JSON object; complex columns arrive from the server as JSON text and are embedded as such. */
    static String jsonLine(List<String> names, List<Object> values, ResultSetMetaData md) throws SQLException {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                continue; // like Spark's toJSON: null fields are left out
            }
            sb.append(sb.length() > 1 ? "," : "").append(quote(names.get(i))).append(':');
            int type = md.getColumnType(i + 1);
            if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else if (type == Types.ARRAY || type == Types.STRUCT || type == Types.JAVA_OBJECT || type == Types.OTHER) {
                sb.append(v);
            } else if (v instanceof java.sql.Timestamp ts) {
                sb.append(quote(ts.toInstant().toString()));
            } else {
                sb.append(quote(String.valueOf(v)));
            }
        }
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private static boolean isNumeric(int type) {
        return switch (type) {
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.FLOAT, Types.REAL, Types.DOUBLE,
                    Types.DECIMAL, Types.NUMERIC -> true;
            default -> false;
        };
    }

    /** Hive labels columns "table.column" unless told otherwise; people want "column". */
    private static String unqualified(String label) {
        int dot = label.lastIndexOf('.');
        return dot >= 0 && !label.contains("(") ? label.substring(dot + 1) : label;
    }

    /** The server's one-line reason: Spark's message without the "Error running query:" wrapper and stack. */
    static String serverMessage(SQLException e) {
        String m = ReadOnlySql.firstLine(e.getMessage());
        m = m.replaceFirst("^org\\.apache\\.hive\\.service\\.cli\\.HiveSQLException: ", "")
                .replaceFirst("^Error running query: ", "")
                .replaceFirst("^\\[[A-Z_.]+\\] ", "")
                .replaceFirst("^[a-zA-Z0-9_.$]+(Exception|Violation|Error): ", "");
        return m;
    }

    private static String firstCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return ReadOnlySql.firstLine(t.getMessage() != null ? t.getMessage() : e.getMessage());
    }
}
