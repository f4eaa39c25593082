package io.webrtccluster.sfu.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.ManagedProcess;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Packet loss on the media path (netem in a namespace of our own): the same call with the worker's
 * NACK handling on and off, comparing what the subscriber's decoder experiences.
 */
@Tag(Tiers.BROWSER)
class LossRecoveryIT {
    private static final double LOSS_PERCENT = 5;
    private static final long WINDOW_MS = 15_000;

    record Outcome(long frames, long freezes, double freezeSeconds, long lost, long nacks, long retransmitted, long droppedByNetwork) {
    }

    @Test
    void nackRetransmissionKeepsVideoDecodingWithFewerFreezesUnderLoss() throws Exception {
        Outcome withNack = call(true);
        Outcome withoutNack = call(false);
        System.out.printf("loss %.0f%% each way, %d s window: NACK on  -> %s%n", LOSS_PERCENT, WINDOW_MS / 1000, withNack);
        System.out.printf("loss %.0f%% each way, %d s window: NACK off -> %s%n", LOSS_PERCENT, WINDOW_MS / 1000, withoutNack);
        assertThat(withNack.retransmitted()).as("the worker answered NACKs from its cache").isPositive();
        assertThat(withNack.frames()).as("video keeps decoding").isGreaterThan(WINDOW_MS / 1000 * 10);
        assertThat(withNack.frames()).as("frames decoded with NACK vs without").isGreaterThan(withoutNack.frames());
        assertThat(withNack.freezeSeconds()).as("freeze time with NACK vs without").isLessThan(withoutNack.freezeSeconds());
    }

    private Outcome call(boolean nack) throws Exception {
        try (LossyNamespace ns = new LossyNamespace(LOSS_PERCENT);
             WorkerProcess worker = new WorkerProcess(Map.of("wrc.sfu.nack", Boolean.toString(nack),
                     "wrc.sfu.upstream-nack", Boolean.toString(nack)), ns.prefix())) {
            int pagePort = FreePort.tcp();
            List<String> cmd = new ArrayList<>(ns.prefix());
            cmd.addAll(List.of("java", "-cp", "target/test-classes", TestPageServer.class.getName(), worker.baseUrl(),
                    Integer.toString(pagePort)));
            try (ManagedProcess pageServer = ManagedProcess.start("page-server-" + pagePort, cmd)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> pageServer.logText().contains("listening"));
                String url = "http://127.0.0.1:" + pagePort + "/sfu-test.html";
                try (Peer pub = new Peer("pub", url, ns.chromium()); Peer sub = new Peer("sub", url, ns.chromium())) {
                    pub.join("loss", Map.of());
                    sub.join("loss", Map.of());
                    // Without NACK the first picture may take long under loss: measure from a fixed point after connecting.
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                            .until(() -> "connected".equals(sub.script("return window.sfu.pc.connectionState;")));
                    Thread.sleep(3000);
                    long frames0 = sub.frames("pub");
                    long freezes0 = sub.stat("pub", "video", "freezeCount");
                    double freezeSeconds0 = freezeSeconds(sub);
                    long lost0 = sub.stat("pub", "video", "packetsLost");
                    long nacks0 = sub.stat("pub", "video", "nackCount");
                    double retrans0 = worker.metric("wrc_sfu_retransmissions_total");
                    Thread.sleep(WINDOW_MS);
                    return new Outcome(sub.frames("pub") - frames0, sub.stat("pub", "video", "freezeCount") - freezes0,
                            freezeSeconds(sub) - freezeSeconds0, sub.stat("pub", "video", "packetsLost") - lost0,
                            sub.stat("pub", "video", "nackCount") - nacks0,
                            (long) (worker.metric("wrc_sfu_retransmissions_total") - retrans0), ns.dropped());
                }
            }
        }
    }

    private static double freezeSeconds(Peer p) {
        Map<String, Map<String, Number>> r = p.report().get("pub");
        return r == null || r.get("video") == null ? 0 : r.get("video").get("totalFreezesDuration").doubleValue();
    }
}
