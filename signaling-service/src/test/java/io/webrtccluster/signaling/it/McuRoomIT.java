package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

/**
 * A room whose policy says MCU, end to end through signaling: four Chromiums join through the SDK, each
 * publishing a distinct pure tone as its microphone. Each receives exactly one audio stream, the worker's
 * mix, in which an FFT shows the three other tones and not its own (mix-minus), and the SDK reports the
 * mixed speakers through 'active-speakers'.
 */
@Tag(Tiers.BROWSER)
class McuRoomIT {
    static final String SECRET = "mcu-room-secret-0123456789-0123456789-xyz";
    static final String ROOM = "choir";
    static final int[] TONES = {300, 500, 700, 900};
    /** Where nobody has a tone: the mix's noise floor near the tones. */
    static final int[] BETWEEN = {400, 600, 800};

    @Test
    void everyoneHearsTheOthersTonesInOneMixedStreamAndNotTheirOwn() throws Exception {
        try (RedisServer redis = RedisServer.start();
             // a full JIT for the worker: the mixer's Opus work is what it is measured on
             ServiceProcess worker = ServiceProcess.start("sfu-worker", "mcu-a", workerProperties(redis));
             ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-mcu", Map.of(
                     "wrc.redis.url", redis.url(), "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true"))) {
            ProtocolErrorsIT.declare(redis, ROOM, new RoomPolicy(20, 1, TopologyMode.MCU, null, true, 1,
                    RoomPolicy.DEFAULT_HYSTERESIS_SECONDS, 0, TONES.length));
            List<DemoPage> pages = new ArrayList<>();
            try {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < TONES.length; i++) {
                    DemoPage p = DemoPage.open(signaling.httpUrl(), "lobby", "singer" + (i + 1), null, "");
                    pages.add(p);
                    Object id = p.script(CLIENT, ROOM, "singer" + (i + 1), TONES[i]);
                    assertTrue(id instanceof String s && !s.startsWith("error"), p.name + " joins: " + id);
                    ids.add((String) id);
                }
                for (DemoPage p : pages) {
                    await(p.name + " receives the mix").atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500))
                            .untilAsserted(() -> {
                                assertEquals(1L, p.script("return window.mcuTest.audioReceivers()"), p.name + " audio m-lines received");
                                assertEquals(List.of(Map.of("peerId", "mix", "mixed", true)), p.script("return window.mcuTest.audioTracks"),
                                        p.name + " audio tracks the SDK announced");
                            });
                }
                await("everyone hears the others and not themselves").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                            for (int i = 0; i < pages.size(); i++) {
                                assertHearsOthersNotSelf(pages.get(i), TONES[i]);
                            }
                        });
                for (DemoPage p : pages) {
                    System.out.printf("%s hears %s%n", p.name, spectrum(p));
                }
                await("the SDK reports the mixed speakers").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    for (DemoPage p : pages) {
                        assertEquals(Set.copyOf(ids), lastActiveSpeakers(p), p.name + " active-speakers");
                    }
                });
                for (DemoPage p : pages) {
                    assertEquals(List.of(), p.script("return window.mcuTest.errors"), p.name + " SDK errors");
                    assertEquals("mcu", p.script("return window.mcuTest.room.topology"), p.name + " topology");
                }
            } finally {
                pages.forEach(DemoPage::close);
            }
        }
    }

    private static Map<String, String> workerProperties(RedisServer redis) {
        Map<String, String> p = new TreeMap<>(Map.of("wrc.redis.url", redis.url(), "wrc.sfu.worker-id", "mcu-a",
                "wrc.sfu.udp-port", Integer.toString(FreePort.udp()), "wrc.sfu.bind-address", "127.0.0.1",
                "wrc.sfu.announced-address", "127.0.0.1", "wrc.sfu.heartbeat", "1s"));
        p.put(ServiceProcess.JVM_ARGS, "-Xmx256m -XX:+UseSerialGC");
        return p;
    }

    private static void assertHearsOthersNotSelf(DemoPage p, int ownTone) throws InterruptedException {
        List<Integer> others = new ArrayList<>();
        for (int f : TONES) {
            if (f != ownTone) {
                others.add(f);
            }
        }
        ToneEar.assertOthersNotOwn(p.name, spectrum(p), others, ownTone, BETWEEN);
    }

    private static Map<Integer, Double> spectrum(DemoPage p) throws InterruptedException {
        return ToneEar.spectrum(p, "return window.mcuTest.spectrum('mix', arguments[0])", TONES, BETWEEN);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> lastActiveSpeakers(DemoPage p) {
        List<List<String>> events = (List<List<String>>) p.script("return window.mcuTest.activeSpeakers");
        return events.isEmpty() ? Set.of() : Set.copyOf(events.get(events.size() - 1));
    }

    private static final String CLIENT = ToneEar.resource("/mcu/tone-participant.js");
}
