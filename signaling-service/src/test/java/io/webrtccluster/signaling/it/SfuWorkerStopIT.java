package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How long media is gone when the room's SFU worker stops, with the workers' default heartbeat. SIGTERM (a pod
 * deleted, a node drained): the worker announces its drain, signaling moves the room to another worker at once and
 * closes the transports on the old one, which then exits. SIGKILL (no goodbye): signaling's next check finds the
 * worker's control port refusing connections, before its registration expires. Each must have media back within
 * 5 s, the goal for a deleted SFU pod.
 */
@Tag(Tiers.BROWSER)
class SfuWorkerStopIT {
    static final String SECRET = "sfu-stop-secret-0123456789-0123456789-xyz";
    static final String ROOM = "stand-up";
    static final Duration GOAL = Duration.ofSeconds(5);

    @Test
    void mediaIsBackOnAnotherWorkerWithinFiveSecondsAfterSigterm() throws Exception {
        stopTheServingWorker(false);
    }

    @Test
    void mediaIsBackOnAnotherWorkerWithinFiveSecondsAfterSigkill() throws Exception {
        stopTheServingWorker(true);
    }

    private void stopTheServingWorker(boolean kill) throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess a = SfuRoomIT.worker(redis, "stop-a");
             ServiceProcess b = SfuRoomIT.worker(redis, "stop-b");
             ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-sfu-stop", Map.of(
                     "wrc.redis.url", redis.url(), "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true"))) {
            Map<String, ServiceProcess> workers = Map.of("stop-a", a, "stop-b", b);
            ProtocolErrorsIT.declare(redis, ROOM, new RoomPolicy(20, 1, TopologyMode.SFU, null, true, 1));
            try (DemoPage ann = DemoPage.join(signaling.httpUrl(), ROOM, "ann", null);
                 DemoPage ben = DemoPage.join(signaling.httpUrl(), ROOM, "ben", null)) {
                for (DemoPage p : List.of(ann, ben)) {
                    p.awaitDecodingFrom(1, Duration.ofSeconds(45));
                }
                String first = SfuRoomIT.redisGet(redis, RedisKeys.roomSfuWorker(ROOM));
                ServiceProcess serving = workers.get(first);
                long t0 = System.nanoTime();
                if (kill) {
                    serving.kill();
                } else {
                    ProcessHandle.of(serving.process().pid()).orElseThrow().destroy(); // SIGTERM, as the kubelet sends
                }
                String how = kill ? "SIGKILL" : "SIGTERM";
                Duration back = mediaBack(List.of(ann, ben));
                System.out.printf("[sfu-stop] %s -> media back in both browsers: %d ms%n", how, back.toMillis());
                assertNotEquals(first, SfuRoomIT.redisGet(redis, RedisKeys.roomSfuWorker(ROOM)), "the room moved off " + first);
                if (!kill) {
                    // Its participants were moved and closed, so the drain ends long before its 20 s timeout.
                    await("the drained worker exits").atMost(Duration.ofSeconds(10)).until(() -> !serving.process().isAlive());
                    System.out.printf("[sfu-stop] SIGTERM -> drained worker exited: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                }
                assertTrue(back.compareTo(GOAL) <= 0, "media back " + back.toMillis() + " ms after " + how + "; goal " + GOAL);
            }
        }
    }

    /** Time until every page was told of the reset and decodes its peer again on the new transport (stats start afresh). */
    static Duration mediaBack(List<DemoPage> pages) {
        long t0 = System.nanoTime();
        await("media back").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                pages.stream().allMatch(p -> Boolean.TRUE.equals(p.script(
                        "return window.wrcDemo.events.some(e => e.type === 'sfu-reset')")) && decodes(p)));
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    static boolean decodes(DemoPage p) {
        Map<String, Long> frames = p.framesByPeer();
        Map<String, Long> audio = p.audioBytesByPeer();
        return frames.size() == 1 && frames.values().stream().allMatch(f -> f > 0) && audio.values().stream().allMatch(b -> b > 0);
    }
}
