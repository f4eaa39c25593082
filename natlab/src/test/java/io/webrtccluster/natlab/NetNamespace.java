package io.webrtccluster.natlab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Linux network namespace the lab created; everything sent inside it stays inside the lab. */
record NetNamespace(String name) {

    /** {@code argv} prefixed so that it runs inside this namespace. */
    List<String> wrap(List<String> argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(argv);
        return all;
    }

    List<String> wrap(String... argv) {
        return wrap(Arrays.asList(argv));
    }

    String exec(String... argv) {
        return Command.check(wrap(argv).toArray(String[]::new));
    }

    String ip(String... args) {
        List<String> all = new ArrayList<>(List.of("ip", "-n", name));
        all.addAll(Arrays.asList(args));
        return Command.check(all.toArray(String[]::new));
    }

    void nft(String ruleset) {
        Command.checkWithInput(ruleset, wrap("nft", "-f", "-").toArray(String[]::new));
    }

    void enableForwarding() {
        exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }

    /** Processes run with {@code ip netns exec} in this namespace resolve names against its own loopback only. */
    void isolateResolver() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(resolverDir());
            java.nio.file.Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.1\noptions timeout:1 attempts:1\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private java.nio.file.Path resolverDir() {
        return java.nio.file.Path.of("/etc/netns", name);
    }

    /** PIDs of processes living in this namespace (the lab's own coturn, signaling, browsers). */
    List<Long> pids() {
        Command c = Command.run(java.time.Duration.ofSeconds(5), List.of("ip", "netns", "pids", name));
        return c.output().lines().map(String::trim).filter(s -> s.matches("\\d+")).map(Long::parseLong).toList();
    }

    /** Ends what still runs inside (only processes this lab started live here), then deletes the namespace. */
    void delete() {
        for (long pid : pids()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        Command.run(java.time.Duration.ofSeconds(5), List.of("ip", "netns", "del", name));
        Command.run(java.time.Duration.ofSeconds(5), List.of("rm", "-rf", resolverDir().toString()));
    }
}
