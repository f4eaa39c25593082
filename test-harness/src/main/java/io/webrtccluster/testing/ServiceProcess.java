package io.webrtccluster.testing;

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

import static org.awaitility.Awaitility.await;

/**
 * One of the project's Quarkus services run from its packaged fast-jar, as a separate JVM on a free
 * loopback port: what a replica is in production, so tests can kill it like a pod dies.
 */
public final class ServiceProcess implements AutoCloseable {
    /** Property key for the JVM options of the started service (space-separated). */
    public static final String JVM_ARGS = "jvm.args";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final ManagedProcess process;

    private ServiceProcess(String name, int port, ManagedProcess process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /** The repository root: the nearest ancestor of the working directory holding the reactor pom and .ci. */
    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("signaling-service")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("not inside the webrtc-cluster repository");
        }
        return p;
    }

    /** @param module e.g. "signaling-service"; its jar must be packaged ({@code mvn package}) */
    public static ServiceProcess start(String module, String name, Map<String, String> properties) {
        return start(module, name, properties, List.of());
    }

    /** @param prefix command words before {@code java} (e.g. {@code ip netns exec NS}) */
    public static ServiceProcess start(String module, String name, Map<String, String> properties, List<String> prefix) {
        Path jar = repoRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn package` first");
        }
        int port = properties.containsKey("quarkus.http.port") ? Integer.parseInt(properties.get("quarkus.http.port")) : FreePort.tcp();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small, fast-starting JVMs for tests; "jvm.args" replaces these (benchmarks want a full JIT).
        cmd.addAll(List.of(properties.getOrDefault(JVM_ARGS, "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1").split(" ")));
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=" + properties.getOrDefault("quarkus.http.host", "127.0.0.1"));
        properties.forEach((k, v) -> {
            if (!k.equals("quarkus.http.port") && !k.equals("quarkus.http.host") && !k.equals(JVM_ARGS)) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        cmd.add("-jar");
        cmd.add(jar.toString());
        ServiceProcess s = new ServiceProcess(name, port, ManagedProcess.start(name, cmd));
        s.awaitLive(properties.getOrDefault("quarkus.http.host", "127.0.0.1"));
        return s;
    }

    private void awaitLive(String host) {
        String base = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !process.isAlive() || status(base + "/q/health/live") == 200);
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited during start:\n" + process.logText());
        }
    }

    /** HTTP status of a GET, or -1 when nothing answers. */
    public static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    public static String get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url + " failed", e);
        }
    }

    public int port() {
        return port;
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String wsUrl(String path) {
        return "ws://127.0.0.1:" + port + path;
    }

    public ManagedProcess process() {
        return process;
    }

    /** SIGKILL: the replica vanishes the way a crashed pod does. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return name + " on :" + port;
    }
}
