package io.webrtccluster.natlab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.webrtccluster.contracts.turn.TurnServerConf;
import io.webrtccluster.contracts.turn.TurnServerConfig;
import io.webrtccluster.testing.ManagedProcess;

import static org.awaitility.Awaitility.await;

/** A real coturn inside a lab namespace, configured by the shared renderer (the same hardening the operator deploys). */
final class Coturn implements AutoCloseable {
    private final TurnServerConfig config;
    private final ManagedProcess process;

    private Coturn(TurnServerConfig config, ManagedProcess process) {
        this.config = config;
        this.process = process;
    }

    /**
     * coturn 4.6.1 treats {@code denied-peer-ip=0:0:0:0:0:0:0:0} (the renderer's {@code ::/128}) as a block holding
     * every IPv4 peer ("A peer IP 203.0.113.12 denied in the range: 0:0:0:0:0:0:0:0"), so all relaying is refused.
     * Until the renderer drops that line, the lab removes exactly it; {@link #startAsRendered} keeps it, and
     * RelayAbuseIT checks the rendered file as is.
     */
    static final String DENY_ALL_IPV4_LINE = "denied-peer-ip=0:0:0:0:0:0:0:0";

    static Coturn start(NetNamespace ns, TurnServerConfig config) {
        String rendered = TurnServerConf.render(config);
        return start(ns, config, rendered.lines().filter(l -> !l.equals(DENY_ALL_IPV4_LINE))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
    }

    /** Exactly what the shared renderer produces, byte for byte. */
    static Coturn startAsRendered(NetNamespace ns, TurnServerConfig config) {
        return start(ns, config, TurnServerConf.render(config));
    }

    private static Coturn start(NetNamespace ns, TurnServerConfig config, String conf) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "natlab"));
            Path confFile = dir.resolve(ns.name() + "-" + config.listeningPort() + "-turnserver.conf");
            Files.writeString(confFile, conf);
            ManagedProcess p = ManagedProcess.start("coturn-" + ns.name() + "-" + config.listeningPort(),
                    ns.wrap("turnserver", "-c", confFile.toAbsolutePath().toString()));
            Coturn coturn = new Coturn(config, p);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> coturn.listening(ns) || !p.isAlive());
            if (!p.isAlive()) {
                throw new IllegalStateException("coturn exited:\n" + p.logText());
            }
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean listening(NetNamespace ns) {
        String udp = Command.run(Duration.ofSeconds(5), ns.wrap("ss", "-Hlun")).output();
        return udp.contains(":" + config.listeningPort() + " ");
    }

    TurnServerConfig config() {
        return config;
    }

    String logText() {
        return process.logText();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(3));
    }
}
