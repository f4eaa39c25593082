package io.webrtccluster.natlab;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.webrtccluster.contracts.turn.TurnCredential;
import io.webrtccluster.contracts.turn.TurnRestCredentials;
import io.webrtccluster.testing.ManagedProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Relay overhead on this machine, not part of the natlab tier (run: natlab/bench/relay-overhead.sh). The same echo
 * peer is timed directly and through coturn in one run; then N concurrent media-like streams (100 packets/s of 1200 B,
 * ~1 Mbit/s each way) go through the relay while coturn's CPU time is read from /proc.
 */
@Tag("natlab-bench")
class RelayOverheadBenchIT {
    private static final int TURN_PORT = 3478;
    private static final int PEER_PORT = 3480;

    @Test
    void relayOverhead() throws Exception {
        try (NatLab lab = NatLab.create(List.of(NatType.NONE, NatType.NONE));
             Coturn coturn = Coturn.start(lab.publicNet(), LabCoturn.config(TURN_PORT).quotas(200, 1000).build())) {
            Site client = lab.site(NatType.NONE, 0);
            Site peer = lab.site(NatType.NONE, 1);
            ManagedProcess echo = ManagedProcess.start("bench-echo", peer.client().wrap("turnutils_peer", "-L", peer.clientIp(),
                    "-p", Integer.toString(PEER_PORT)));
            try {
                StringBuilder report = new StringBuilder("\nRelay overhead (coturn 4.6.1, lab namespaces, same echo peer)\n");
                // Latency: 3000 round trips of 200 B each way, direct and relayed alternating packet by packet.
                List<Probe> both = probeBoth(client, peer, 3000, 3, 200);
                Probe direct = both.get(0);
                Probe relayed = both.get(1);
                report.append(String.format("round trip     p50 %5d us  p90 %5d us  p99 %5d us  (direct)%n", direct.p50, direct.p90, direct.p99));
                report.append(String.format("round trip     p50 %5d us  p90 %5d us  p99 %5d us  (via TURN, ChannelData)%n", relayed.p50, relayed.p90, relayed.p99));
                report.append(String.format("extra latency  p50 %+5d us  p90 %+5d us  p99 %+5d us  per round trip (two relay passes)%n",
                        relayed.p50 - direct.p50, relayed.p90 - direct.p90, relayed.p99 - direct.p99));
                assertTrue(direct.samples > 1000 && relayed.samples > 1000, "enough samples: " + direct + " / " + relayed);

                for (int calls : List.of(1, 4, 16)) {
                    double cpu0 = coturn.cpuSeconds();
                    Probe load = probe(client, peer, "relay", 1000, 10, 1200, calls);
                    double cpu = coturn.cpuSeconds() - cpu0;
                    // Each echoed message crosses the relay twice: one ~1 Mbit/s stream each way per call.
                    int relayedStreams = calls * 2;
                    report.append(String.format("%2d calls (%2d relayed streams of ~1 Mbit/s): coturn %.3f CPU-s in %.1f s of traffic = %.1f%% of a core, %.2f%% per stream; p50 rtt %d us, lost %d%n",
                            calls, relayedStreams, cpu, load.seconds, 100 * cpu / load.seconds, 100 * cpu / load.seconds / relayedStreams,
                            load.p50, load.lost));
                }
                System.out.println(report);
            } finally {
                echo.stop(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * The same two Chromium peers (no NAT) in one run: first direct, then with one side relay-only (demo {@code relay=1}),
     * so each direction's audio+video crosses coturn once. Reads ICE round trips of the selected pair and coturn's CPU.
     */
    @Test
    void browserCallDirectVersusRelayed() {
        try (NatLab lab = NatLab.create(List.of(NatType.NONE, NatType.NONE));
             Coturn coturn = Coturn.start(lab.publicNet(), LabCoturn.config(TURN_PORT).build());
             LabSignaling signaling = LabSignaling.start(lab, 8080, List.of(io.webrtccluster.contracts.turn.TurnUrls.stun(NatLab.PUBLIC_IP, TURN_PORT)),
                     io.webrtccluster.contracts.turn.TurnUrls.of(NatLab.PUBLIC_IP, TURN_PORT, false, 0))) {
            StringBuilder report = new StringBuilder("\nBrowser call, 640x480 VP8 + Opus each way, 20 s window per mode\n");
            for (boolean relay : List.of(false, true)) {
                List<String> origins = List.of(signaling.origin());
                try (LabBrowser a = LabBrowser.open(lab.site(NatType.NONE, 0).client(), origins);
                     LabBrowser b = LabBrowser.open(lab.site(NatType.NONE, 1).client(), origins)) {
                    String room = "bench-" + relay + "-" + System.nanoTime();
                    a.open(signaling.origin() + "/?room=" + room + "&name=a&autojoin=1" + (relay ? "&relay=1" : ""));
                    b.open(signaling.origin() + "/?room=" + room + "&name=b&autojoin=1");
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!(PeerPath.from(a.mediaReport()).mediaFlows() && PeerPath.from(b.mediaReport()).mediaFlows())) {
                        assertTrue(System.nanoTime() < deadline, "call connects");
                        sleepMs(250);
                    }
                    sleepMs(5000); // let the encoder ramp up
                    Map<String, Object> p0 = a.selectedPair();
                    double cpu0 = coturn.cpuSeconds();
                    long t0 = System.nanoTime();
                    sleepMs(20_000);
                    Map<String, Object> p1 = a.selectedPair();
                    double cpu = coturn.cpuSeconds() - cpu0;
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    double rttMs = 1000 * (num(p1, "rttTotal") - num(p0, "rttTotal")) / Math.max(1, num(p1, "responses") - num(p0, "responses"));
                    double mbits = 8 * (num(p1, "bytesSent") - num(p0, "bytesSent") + num(p1, "bytesReceived") - num(p0, "bytesReceived")) / seconds / 1e6;
                    report.append(String.format("%-8s pair %s->%s: ICE rtt %.2f ms, %.2f Mbit/s both ways, coturn %.3f CPU-s = %.2f%% of a core%s%n",
                            relay ? "relayed" : "direct", p1.get("local"), p1.get("remote"), rttMs, mbits, cpu, 100 * cpu / seconds,
                            relay ? String.format(" (%.2f%% per relayed stream, %.2f%% per Mbit/s)", 100 * cpu / seconds / 2, 100 * cpu / seconds / mbits) : ""));
                }
            }
            System.out.println(report);
        }
    }

    private static double num(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    private static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    record Probe(int samples, int lost, long p50, long p90, long p99, double seconds) {
    }

    private static List<Probe> probeBoth(Site client, Site peer, int count, int intervalMs, int size) {
        String out = runProbe(client, peer, "both", count, intervalMs, size, 1);
        return out.lines().filter(l -> l.startsWith("mode=")).map(RelayOverheadBenchIT::parse).toList();
    }

    private static Probe parse(String line) {
        Matcher m = Pattern.compile("samples=(\\d+) lost=(\\d+) p50us=(-?\\d+) p90us=(-?\\d+) p99us=(-?\\d+) seconds=([\\d.]+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("probe failed:\n" + line);
        }
        return new Probe(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Double.parseDouble(m.group(6)));
    }

    private static Probe probe(Site client, Site peer, String mode, int count, int intervalMs, int size, int streams) {
        return parse(runProbe(client, peer, mode, count, intervalMs, size, streams));
    }

    private static String runProbe(Site client, Site peer, String mode, int count, int intervalMs, int size, int streams) {
        TurnCredential c = TurnRestCredentials.mint(LabCoturn.SECRET, "bench-" + System.nanoTime(), Instant.now(), Duration.ofMinutes(10));
        String java = ProcessHandle.current().info().command().orElse("java");
        Command run = Command.run(Duration.ofSeconds(count * intervalMs / 1000 + 60), client.client().wrap(java, "-cp",
                Path.of("target", "test-classes").toAbsolutePath().toString(), RelayProbe.class.getName(), mode,
                NatLab.PUBLIC_IP, Integer.toString(TURN_PORT), c.username(), c.password(), peer.clientIp(),
                Integer.toString(PEER_PORT), Integer.toString(count), Integer.toString(intervalMs), Integer.toString(size), Integer.toString(streams)));
        if (!run.output().contains("mode=")) {
            throw new IllegalStateException("probe failed:\n" + run.output());
        }
        return run.output();
    }
}
