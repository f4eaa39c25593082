package io.webrtccluster.sfu.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import io.webrtccluster.testing.Chromium;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A network namespace of our own whose loopback drops a random share of UDP: the worker, the page
 * server and the browsers all run inside it, so only the media path is lossy (HTTP and chromedriver's
 * pipe are untouched). The kernel here has no netem/prio qdiscs, so the loss is an nftables rule
 * ({@code numgen random}) on the output hook, which every locally sent packet passes once.
 */
final class LossyNamespace implements AutoCloseable {
    final String name = "wrcsfu" + ProcessHandle.current().pid();

    LossyNamespace(double lossPercent) {
        run("ip", "netns", "add", name);
        try {
            exec("ip", "link", "set", "lo", "up");
            exec("nft", "add", "table", "inet", "loss");
            exec("nft", "add", "chain", "inet", "loss", "out", "{ type filter hook output priority 0 ; }");
            exec("nft", "add", "rule", "inet", "loss", "out", "meta", "l4proto", "udp", "numgen", "random", "mod", "1000",
                    "<", Integer.toString((int) Math.round(lossPercent * 10)), "counter", "drop");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** How many datagrams the loss rule dropped so far. */
    long dropped() {
        try {
            List<String> c = new ArrayList<>(prefix());
            c.addAll(List.of("nft", "list", "chain", "inet", "loss", "out"));
            Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(out);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    List<String> prefix() {
        return List.of("ip", "netns", "exec", name);
    }

    ChromeDriver chromium() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "netns"));
            Path wrapper = dir.resolve(name + "-chromium.sh");
            Files.writeString(wrapper, "#!/bin/sh\nexec ip netns exec " + name + " /usr/bin/chromium \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
            // DevTools over a pipe: a TCP port would sit on the namespace's loopback, out of chromedriver's reach.
            return Chromium.launch(wrapper.toAbsolutePath(), List.of("--remote-debugging-pipe"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void exec(String... cmd) {
        List<String> c = new ArrayList<>(prefix());
        c.addAll(List.of(cmd));
        run(c.toArray(String[]::new));
    }

    private static void run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            run("ip", "netns", "del", name);
        } catch (IllegalStateException e) {
            // already gone
        }
    }
}
