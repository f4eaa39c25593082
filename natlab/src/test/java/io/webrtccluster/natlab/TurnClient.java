package io.webrtccluster.natlab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.webrtccluster.contracts.turn.TurnCredential;

/** coturn's own TURN test client ({@code turnutils_uclient}), run inside a lab namespace. */
final class TurnClient {

    private TurnClient() {
    }

    /**
     * Allocates {@code allocations} relays on {@code server} with {@code credential} and relays {@code messages} UDP
     * messages to {@code peer}:{@code port}: by channel binding, or by CreatePermission + Send indications when
     * {@code sendIndications}.
     */
    static Outcome relay(NetNamespace from, String server, int serverPort, TurnCredential credential, String peer, int port,
                         int messages, int allocations, boolean sendIndications) {
        List<String> argv = new ArrayList<>(List.of("timeout", "15", "turnutils_uclient", "-v", "-c",
                "-p", Integer.toString(serverPort),
                "-u", credential.username(), "-w", credential.password(),
                "-e", peer, "-r", Integer.toString(port),
                "-n", Integer.toString(messages), "-m", Integer.toString(allocations), "-z", "5"));
        if (sendIndications) {
            argv.add("-s");
        }
        argv.add(server);
        return new Outcome(Command.run(Duration.ofSeconds(20), from.wrap(argv)).output());
    }

    /** What the client printed, read the way a person would read it. */
    record Outcome(String output) {
        private static final Pattern ERROR = Pattern.compile("error (\\d{3}) \\(([^)]*)\\)");
        private static final Pattern RECEIVED = Pattern.compile("tot_recv_msgs=(\\d+)");

        /** Relay addresses the server granted (one per successful allocation). */
        long allocations() {
            return output.lines().filter(l -> l.contains("Received relay addr")).distinct().count();
        }

        /** TURN error responses, as {@code "403 Forbidden IP"}. */
        List<String> errors() {
            List<String> errors = new ArrayList<>();
            Matcher m = ERROR.matcher(output);
            while (m.find()) {
                errors.add(m.group(1) + " " + m.group(2));
            }
            return errors.stream().distinct().toList();
        }

        /**
         * {@link #errors()} without 437: uclient exits without releasing its allocations, so a later run that gets the
         * same local port back meets "437 Mismatched allocation" once and retries from a fresh port by itself.
         */
        List<String> refusals() {
            return errors().stream().filter(e -> !e.startsWith("437 ")).toList();
        }

        boolean allocationFailed() {
            return output.contains("Cannot complete Allocation");
        }

        /** Messages echoed back through the relay. */
        long echoed() {
            Matcher m = RECEIVED.matcher(output);
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        }

        @Override
        public String toString() {
            return output;
        }
    }
}
