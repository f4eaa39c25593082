package io.webrtccluster.sfu.browser;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.ManagedProcess;

import static org.awaitility.Awaitility.await;

/** The packaged sfu-worker fast-jar started as a real process on free loopback ports. */
public final class WorkerProcess implements AutoCloseable {
    public final int httpPort = FreePort.tcp();
    public final int udpPort = freeUdpPort();
    public final ManagedProcess process;
    private final HttpClient http = HttpClient.newHttpClient();

    private final List<String> prefix;

    public WorkerProcess(Map<String, String> config) {
        this(config, List.of());
    }

    /** @param prefix command words before {@code java}, e.g. {@code ip netns exec NS} to run it inside a namespace */
    public WorkerProcess(Map<String, String> config, List<String> prefix) {
        this.prefix = prefix;
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("run `mvn -pl sfu-worker package` first: " + jar.toAbsolutePath());
        }
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("java", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.http.host=127.0.0.1",
                "-Dwrc.sfu.udp-port=" + udpPort, "-Dwrc.sfu.bind-address=127.0.0.1",
                "-Dwrc.sfu.announced-address=127.0.0.1", "-Dwrc.sfu.worker-id=sfu-test-" + udpPort));
        config.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-jar");
        cmd.add(jar.toString());
        process = ManagedProcess.start("sfu-worker-" + httpPort, cmd);
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || get("/q/health/ready").contains("UP"));
        } catch (RuntimeException e) {
            process.kill(); // never leave a half-started worker behind
            throw new IllegalStateException("worker not ready within 60 s:\n" + process.logText(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("worker did not start:\n" + process.logText());
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String get(String path) {
        if (!prefix.isEmpty()) { // inside a namespace: only a process in there reaches the worker's loopback
            try {
                List<String> cmd = new ArrayList<>(prefix);
                cmd.addAll(List.of("curl", "-s", "--max-time", "5", baseUrl() + path));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                return out;
            } catch (IOException e) {
                return "";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A Prometheus sample value by metric name prefix (sums matching lines). */
    public double metric(String name) {
        double sum = 0;
        for (String line : get("/q/metrics").split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }
}
