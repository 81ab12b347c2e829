package io.qualitylake.cli;

/** A mistake the user can fix (bad option, missing lake, unreadable file): one line, exit 2, no stack trace. */
public class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
