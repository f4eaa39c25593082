package io.webrtccluster.signaling.ice;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.webrtccluster.contracts.turn.TurnServerConf;
import io.webrtccluster.contracts.turn.TurnServerConfig;
import io.webrtccluster.contracts.turn.TurnUrls;
import io.webrtccluster.signaling.config.SignalingConfig;

/**
 * For the local run ({@code bin/run --turn}): starts coturn as a child process with the same hardened
 * configuration the operator puts in a TurnPool's ConfigMap (the one renderer in contracts), with a
 * fresh random secret, and hands its URLs out as the ICE servers. Off by default.
 */
@ApplicationScoped
public class LocalTurnServer {
    private static final Logger LOG = Logger.getLogger(LocalTurnServer.class);

    /** What clients use to reach the local coturn. */
    public record Endpoint(List<String> urls, String stunUrl, String secret) {
    }

    @Inject
    SignalingConfig config;

    private volatile Process process;
    private volatile Endpoint endpoint;

    void start(@Observes StartupEvent e) throws IOException {
        SignalingConfig.LocalTurn local = config.localTurn();
        if (!local.enabled()) {
            return;
        }
        int port = local.port();
        String host = local.host();
        String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));
        // Peers of a local run are on this machine, so loopback relaying is allowed here (and nowhere else).
        TurnServerConfig config = TurnServerConfig.builder("webrtc-cluster.local").listeningPort(port)
                .relayPorts(local.minRelayPort(), local.maxRelayPort()).authSecrets(secret).allowLoopbackPeers(true)
                .prometheus(false).logToStdout(true).build();
        Path dir = Files.createTempDirectory("wrc-local-turn-");
        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, TurnServerConf.render(config));
        process = new ProcessBuilder("turnserver", "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("turnserver.log").toFile()).start();
        endpoint = new Endpoint(TurnUrls.of(host, port, false, 0), TurnUrls.stun(host, port), secret);
        LOG.infof("local coturn (pid %d) on %s:%d with the hardened TurnPool configuration; log in %s",
                process.pid(), host, port, dir.resolve("turnserver.log"));
    }

    public Optional<Endpoint> endpoint() {
        return Optional.ofNullable(endpoint).filter(x -> process != null && process.isAlive());
    }

    void stop(@Observes ShutdownEvent e) throws InterruptedException {
        Process p = process;
        if (p != null) {
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
