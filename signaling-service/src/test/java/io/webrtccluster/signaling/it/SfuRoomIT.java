package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A room whose policy says SFU runs through a real sfu-worker end to end: signaling assigns a worker,
 * the worker's offers reach the browsers through their inboxes, their answers go back through
 * signaling. Every browser publishes once (the worker holds one upstream per track) and decodes the
 * others. Then the worker is SIGKILLed: signaling notices its heartbeat stop, tells the clients, and
 * moves them to the other worker, where they decode each other again.
 */
@Tag(Tiers.BROWSER)
class SfuRoomIT {
    static final String SECRET = "sfu-room-secret-0123456789-0123456789-xyz";

    @Test
    void anSfuRoomRunsThroughTheWorkerAndMovesToAnotherWhenItDies() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess workerA = worker(redis, "sfu-a");
             ServiceProcess workerB = worker(redis, "sfu-b");
             ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-sfu", Map.of(
                     "wrc.redis.url", redis.url(), "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true"))) {
            ProtocolErrorsIT.declare(redis, "town-hall", new RoomPolicy(20, 1, TopologyMode.SFU, null, true, 1));
            try (DemoPage ann = DemoPage.join(signaling.httpUrl(), "town-hall", "ann", null);
                 DemoPage ben = DemoPage.join(signaling.httpUrl(), "town-hall", "ben", null);
                 DemoPage cat = DemoPage.join(signaling.httpUrl(), "town-hall", "cat", null)) {
                for (DemoPage p : List.of(ann, ben, cat)) {
                    p.awaitDecodingFrom(2, Duration.ofSeconds(45));
                    assertEquals("sfu", p.report().get("topology"));
                }
                String first = redisGet(redis, RedisKeys.roomSfuWorker("town-hall"));
                ServiceProcess serving = first.equals("sfu-a") ? workerA : workerB;
                String metrics = ServiceProcess.get(serving.httpUrl() + "/q/metrics");
                assertEquals(6, gauge(metrics, "wrc_sfu_producers"), "one upstream per published track (3 audio + 3 video), not N-1");
                assertEquals(12, gauge(metrics, "wrc_sfu_consumers"), "each of 3 subscribers receives 2 publishers x 2 tracks");

                serving.kill();

                for (DemoPage p : List.of(ann, ben, cat)) {
                    await(p.name + " is told the SFU went away").atMost(Duration.ofSeconds(20)).until(() ->
                            Boolean.TRUE.equals(p.script("return window.wrcDemo.events.some(e => e.type === 'sfu-reset')")));
                }
                for (DemoPage p : List.of(ann, ben, cat)) {
                    p.awaitDecodingFrom(2, Duration.ofSeconds(45));
                }
                assertNotEquals(first, redisGet(redis, RedisKeys.roomSfuWorker("town-hall")), "the room moved to the other worker");
            }
        }
    }

    static ServiceProcess worker(RedisServer redis, String id) {
        return ServiceProcess.start("sfu-worker", id, Map.of("wrc.redis.url", redis.url(), "wrc.sfu.worker-id", id,
                "wrc.sfu.udp-port", Integer.toString(FreePort.udp()), "wrc.sfu.bind-address", "127.0.0.1",
                "wrc.sfu.announced-address", "127.0.0.1")); // the default heartbeat: what a pod runs with
    }

    static String redisGet(RedisServer redis, String key) throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "GET", key).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    static long gauge(String prometheusText, String name) {
        return prometheusText.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
