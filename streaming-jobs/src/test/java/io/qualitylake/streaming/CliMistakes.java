package io.qualitylake.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.qualitylake.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a streaming command that must fail as a user mistake: exit 2, one line on stderr, no stack trace. */
public final class CliMistakes {
    private CliMistakes() {}

    /** The one error line. */
    public static String fails(String... args) {
        StringWriter err = new StringWriter();
        var cl = Cli.commandLine(new StreamingCli(), args);
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        String text = err.toString().strip();
        assertEquals(2, exit, text);
        assertEquals(1, text.lines().count(), text);
        assertFalse(text.contains("\tat "), text);
        return text;
    }
}
