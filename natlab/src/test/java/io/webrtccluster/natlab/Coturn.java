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

    static Coturn start(NetNamespace ns, TurnServerConfig config) {
        String conf = TurnServerConf.render(config);
        try {
            Path dir = Files.createDirectories(Path.of("target", "natlab"));
            Path confFile = dir.resolve(ns.name() + "-" + config.listeningPort() + "-turnserver.conf");
            Files.writeString(confFile, conf);
            ManagedProcess p = ManagedProcess.start("coturn-" + ns.name() + "-" + config.listeningPort(),
                    // -v: session-level log lines ("... error 401: Unauthorized"), the server's own account of each refusal.
                    ns.wrap("turnserver", "-c", confFile.toAbsolutePath().toString(), "-v"));
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

    /** CPU seconds coturn has used so far (user + system, from /proc). */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // Fields 14 and 15 of stat (utime, stime), counted after the command name, in clock ticks of 1/100 s.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String logText() {
        return process.logText();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(3));
    }
}
