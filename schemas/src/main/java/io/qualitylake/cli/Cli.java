package io.qualitylake.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Runs a picocli command the QualityLake way: user mistakes print one line naming the problem
 * and exit 2; internal failures print one line and exit 1 (the stack trace only with --verbose).
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    static final int HELP_WIDTH = 100;

    private Cli() {}

    public static boolean verbose(String[] args) {
        for (String a : args) {
            if ("--verbose".equals(a) || "-v".equals(a)) {
                return true;
            }
        }
        return false;
    }

    public static CommandLine commandLine(Object command, String[] args) {
        boolean verbose = verbose(args);
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // 100 columns: option descriptions and paths (docs/csv-mapping.md) are not broken mid-word at 80
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(28);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("qlake " + ex.getCommandLine().getCommandName() + ": " + firstLine(ex.getMessage())
                    + " (see --help)");
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            PrintWriter err = c.getErr();
            Throwable user = userCause(ex);
            String refusal = user == null ? KafkaRefusal.describe(ex).orElse(null) : null;
            if (user != null || refusal != null) {
                err.println("qlake " + c.getCommandName() + ": " + (user != null ? firstLine(user.getMessage()) : refusal));
                if (verbose) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return USAGE;
            }
            err.println("qlake " + c.getCommandName() + ": failed: " + describe(ex)
                    + (verbose ? "" : " (rerun with --verbose for details)"));
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return FAILED;
        });
        return cl;
    }

    /** Parses, runs and returns the exit code; never throws. */
    public static int run(Object command, String[] args) {
        return commandLine(command, args).execute(args);
    }

    private static Throwable userCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof UserError) {
                return c;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return firstLine(msg);
    }

    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
