package io.webrtccluster.sfu.browser;

import java.time.Duration;
import java.util.Map;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag(Tiers.BROWSER)
class TwoPeersIT {
    @Test
    void twoChromiumPeersDecodeEachOtherThroughTheWorker() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(Map.of("quarkus.log.category.\"io.webrtccluster\".level", "DEBUG"));
             TestPageServer page = new TestPageServer(worker.baseUrl());
             Peer a = new Peer("alice", page.pageUrl());
             Peer b = new Peer("bob", page.pageUrl())) {
            a.join("room-2", Map.of());
            b.join("room-2", Map.of());
            try {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(a.frames("bob")).isGreaterThan(10);
                    assertThat(b.frames("alice")).isGreaterThan(10);
                    assertThat(a.audioBytes("bob")).isGreaterThan(1000);
                    assertThat(b.audioBytes("alice")).isGreaterThan(1000);
                });
            } finally {
                System.out.println("stats: " + worker.get("/v1/stats"));
                for (String l : worker.get("/q/metrics").split("\n")) {
                    if (l.startsWith("wrc_sfu")) {
                        System.out.println(l);
                    }
                }
                System.out.println("pc: " + a.script("return [window.sfu.pc.iceConnectionState, window.sfu.pc.connectionState, window.sfu.pc.localDescription.sdp]"));
                System.out.println("a: " + a.report() + " log " + a.log());
                System.out.println("b: " + b.report() + " log " + b.log());
            }
        }
    }
}
