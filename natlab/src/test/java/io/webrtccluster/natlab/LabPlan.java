package io.webrtccluster.natlab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ip} commands to run as batches: first the host's (namespaces, veth pairs), then each namespace's in order. */
final class LabPlan {
    private final List<String> host = new ArrayList<>();
    private final Map<String, List<String>> perNamespace = new LinkedHashMap<>();
    private final Map<String, List<String>> optional = new LinkedHashMap<>();

    void host(String... commands) {
        host.addAll(List.of(commands));
    }

    void in(NetNamespace ns, String... commands) {
        perNamespace.computeIfAbsent(ns.name(), k -> new ArrayList<>()).addAll(List.of(commands));
    }

    /** Commands a kernel may refuse (an address in 0.0.0.0/8): run after the rest, failures ignored; callers check what exists. */
    void tryIn(NetNamespace ns, String... commands) {
        optional.computeIfAbsent(ns.name(), k -> new ArrayList<>()).addAll(List.of(commands));
    }

    void run() {
        Command.checkWithInput(String.join("\n", host) + "\n", "ip", "-batch", "-");
        for (var e : perNamespace.entrySet()) {
            Command.checkWithInput(String.join("\n", e.getValue()) + "\n", "ip", "-n", e.getKey(), "-batch", "-");
        }
        for (var e : optional.entrySet()) {
            Command.run(java.time.Duration.ofSeconds(10), List.of("ip", "-n", e.getKey(), "-force", "-batch", "-"),
                    String.join("\n", e.getValue()) + "\n");
        }
    }
}
