package io.webrtccluster.sfu.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A simulcast publisher and a subscriber whose layer limit the control API changes. */
@Tag(Tiers.BROWSER)
class SimulcastIT {
    @Test
    void aSubscriberLimitedToTheLowLayerDecodesItAndSwitchesUpWhenTheLimitIsRaised() throws Exception {
        try (WorkerProcess worker = new WorkerProcess(Map.of());
             TestPageServer page = new TestPageServer(worker.baseUrl());
             Peer pub = new Peer("pub", page.pageUrl());
             Peer sub = new Peer("sub", page.pageUrl())) {
            pub.join("sc", Map.of("simulcast", true, "width", 1280, "height", 720));
            sub.join("sc", Map.of());
            setMaxLayer(worker, "sub", 0);
            try {
                await().atMost(Duration.ofSeconds(25)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(sub.frames("pub")).isGreaterThan(30);
                    assertThat(sub.stat("pub", "video", "frameWidth")).isBetween(1L, 400L);
                });
                long lowWidth = sub.stat("pub", "video", "frameWidth");
                long freezesBefore = sub.stat("pub", "video", "freezeCount");
                System.out.printf("simulcast: low layer decoded at width %d; publisher sends %s%n", lowWidth,
                        pub.script("return await window.sfu.outbound();"));

                setMaxLayer(worker, "sub", 2);
                long raisedAt = System.currentTimeMillis();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                        assertThat(sub.stat("pub", "video", "frameWidth")).isGreaterThan(lowWidth));
                long switchedMs = System.currentTimeMillis() - raisedAt;
                long frames = sub.frames("pub");
                Thread.sleep(1500);
                assertThat(sub.frames("pub")).as("still decoding after the switch").isGreaterThan(frames + 10);
                long freezes = sub.stat("pub", "video", "freezeCount") - freezesBefore;
                System.out.printf("simulcast: switched up to width %d %d ms after raising the limit, %d freezes%n",
                        sub.stat("pub", "video", "frameWidth"), switchedMs, freezes);
                assertThat(freezes).as("no freeze longer than a keyframe interval across the switch").isLessThanOrEqualTo(1);
            } finally {
                System.out.println("stats: " + worker.get("/v1/stats"));
                System.out.println("pub outbound: " + pub.script("return await window.sfu.outbound();") + " log " + pub.log());
                System.out.println("sub: " + sub.report());
            }
        }
    }

    private static void setMaxLayer(WorkerProcess worker, String subscriber, int layer) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(worker.baseUrl() + "/v1/rooms/sc/participants/" + subscriber + "/max-layer"))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"maxLayer\":" + layer + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
    }
}
