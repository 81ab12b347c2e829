package io.qualitylake.ingestion.simulate;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress on long work: a progress bar on a terminal, a plain line every ~10 % otherwise
 * (so CI logs and pipes stay readable), nothing with --quiet.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;
    private final PrintStream plain;
    private final String task;
    private final long total;
    private long lastPrinted = -1;

    private Progress(ProgressBar bar, PrintStream plain, String task, long total) {
        this.bar = bar;
        this.plain = plain;
        this.task = task;
        this.total = total;
    }

    public static Progress start(String task, long total, String unit, boolean quiet) {
        if (quiet) {
            return new Progress(null, null, task, total);
        }
        if (System.console() != null) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).setConsumer(
                            new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            return new Progress(bar, null, task, total);
        }
        return new Progress(null, System.err, task, total);
    }

    public void stepTo(long done, String extra) {
        if (bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(extra);
        } else if (plain != null) {
            long decile = total == 0 ? 10 : done * 10 / total;
            if (decile != lastPrinted) {
                lastPrinted = decile;
                plain.printf("%s: %d/%d %s%n", task, done, total, extra);
            }
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
