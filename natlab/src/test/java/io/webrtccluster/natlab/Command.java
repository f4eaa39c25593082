package io.webrtccluster.natlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A short-lived host command (ip, nft, sysctl, a TURN client): run to completion, output captured. */
record Command(List<String> argv, int exitCode, String output) {

    static Command run(Duration timeout, List<String> argv) {
        return run(timeout, argv, null);
    }

    /** Runs {@code argv}, feeding {@code stdin} when given; a command still running at the timeout is killed (exit -1). */
    static Command run(Duration timeout, List<String> argv, String stdin) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            // Drain concurrently so a chatty command cannot block on a full pipe.
            var out = new java.io.ByteArrayOutputStream();
            Thread drain = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException ignored) {
                    // the process went away; what we have is the output
                }
            });
            drain.start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            drain.join(2000);
            return new Command(argv, done ? p.exitValue() : -1, out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
    }

    /** Runs and insists on success: lab set-up must not half-work silently. */
    static String check(String... argv) {
        return checkWithInput(null, argv);
    }

    static String checkWithInput(String stdin, String... argv) {
        Command c = run(Duration.ofSeconds(20), List.of(argv), stdin);
        if (c.exitCode != 0) {
            throw new IllegalStateException("failed (" + c.exitCode + "): " + String.join(" ", argv) + "\n" + c.output);
        }
        return c.output;
    }
}
