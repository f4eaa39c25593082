package io.webrtccluster.natlab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.webrtccluster.testing.ManagedProcess;

import static org.awaitility.Awaitility.await;

/**
 * signaling-service's packaged fast-jar running inside the public namespace (in-process room store, dev tokens), so
 * browsers behind the lab's NATs reach it at {@link NatLab#PUBLIC_IP}; the test reaches it over the host link.
 */
final class LabSignaling implements AutoCloseable {
    static final Path JAR = Path.of(System.getProperty("wrc.signaling.jar",
            "../signaling-service/target/quarkus-app/quarkus-run.jar"));

    private final ManagedProcess process;
    private final int port;

    private LabSignaling(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * @param turnUrls empty: STUN only, no relay offered to browsers
     */
    static LabSignaling start(NatLab lab, int port, List<String> stunUrls, List<String> turnUrls) {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException("build signaling first: mvn -B -o -q -pl signaling-service package -DskipTests (" + JAR.toAbsolutePath() + ")");
        }
        List<String> argv = new ArrayList<>(List.of("java", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=0.0.0.0",
                "-Dwrc.auth.dev-tokens=true",
                "-Dwrc.ice.stun-urls=" + String.join(",", stunUrls)));
        if (!turnUrls.isEmpty()) {
            argv.add("-Dwrc.ice.turn-urls=" + String.join(",", turnUrls));
            argv.add("-Dwrc.ice.turn-secret=" + LabCoturn.SECRET);
            argv.add("-Dwrc.ice.turn-realm=" + LabCoturn.REALM);
            argv.add("-Dwrc.ice.turn-ttl=PT10M");
        }
        argv.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ManagedProcess p = ManagedProcess.start("signaling-" + lab.name() + "-" + port, lab.publicNet().wrap(argv));
        LabSignaling s = new LabSignaling(p, port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(300)).build();
        URI live = URI.create("http://" + lab.publicHostSideIp() + ":" + port + "/q/health/live");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !p.isAlive() || up(http, live));
        if (!p.isAlive()) {
            throw new IllegalStateException("signaling exited:\n" + p.logText());
        }
        return s;
    }

    private static boolean up(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(500)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The origin browsers in the lab load the demo from. */
    String origin() {
        return "http://" + NatLab.PUBLIC_IP + ":" + port;
    }

    String logText() {
        return process.logText();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
