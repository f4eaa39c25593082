package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An auto room with an MCU threshold, live, through two signaling replicas and one worker: mesh for two,
 * the SFU for three, the MCU for four, and back to the SFU when the fourth leaves (after the hysteresis),
 * three times. Each participant's microphone is a distinct pure tone and each page listens like a user
 * (one "ear" summing every remote track it plays). At every stage the ear hears the others' tones and not
 * its own; in the MCU each receives exactly one audio stream, the mix; across every switch nobody is heard
 * twice (the mix and a speaker's own stream both enabled) and the ear never goes silent for longer than
 * {@link #MAX_SILENCE_MS}.
 */
@Tag(Tiers.BROWSER)
class LiveMcuSwitchIT {
    static final String ROOM = "townhall";
    static final int[] TONES = {300, 500, 700, 900};
    static final int[] BETWEEN = {400, 600, 800};
    /**
     * The longest silence the ear may have across a switch. The new audio arrives before the commit (the worker
     * sends both while the switch prepares) and the SDK flips in one step, so a gap is a bug, not a cost: the
     * bound only leaves room for a 20 ms packet the network or a loaded machine delays.
     */
    static final double MAX_SILENCE_MS = 100;

    @Test
    void anAutoRoomMixesPastItsMcuThresholdAndForwardsAgainBelowItWithoutAGapOrAudioHeardTwice() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess worker = SfuRoomIT.worker(redis, "mcu-live");
             ServiceProcess r1 = TopologyProtocolIT.replica(redis, "r1");
             ServiceProcess r2 = TopologyProtocolIT.replica(redis, "r2")) {
            // mesh up to 2, SFU up to 3, MCU above 3, mixing all four speakers; 3 s hysteresis on the way down
            ProtocolErrorsIT.declare(redis, ROOM, new RoomPolicy(20, 2, TopologyMode.AUTO, null, true, 1, 3, 3, 4));
            List<DemoPage> pages = new ArrayList<>();
            try {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < TONES.length; i++) {
                    pages.add(DemoPage.open((i % 2 == 0 ? r1 : r2).httpUrl(), "lobby", "speaker" + (i + 1), null, ""));
                }
                for (int i = 0; i < 3; i++) {
                    ids.add(join(pages.get(i), i));
                    if (i == 1) {
                        awaitStage("mesh for two", pages.subList(0, 2), "mesh", 0, 0);
                    }
                }
                awaitStage("the SFU for three", pages.subList(0, 3), "sfu", 2, 0);
                List<DemoPage> stay = pages.subList(0, 3);
                List<Long> mLinesAfterFirst = List.of();
                DemoPage fourth = pages.get(3);
                for (int cycle = 1; cycle <= 3; cycle++) {
                    String c = "cycle " + cycle + ": ";
                    resetEars(stay);
                    ids.add(join(fourth, 3));
                    awaitStage(c + "the MCU for four", pages, "mcu", 0, 1);
                    Thread.sleep(1000); // the worker drops the speakers' own audio after the commit: listen past that
                    assertSmooth(c + "up to the MCU", stay);
                    await(c + "active-speakers names the four").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                        for (DemoPage p : pages) {
                            assertEquals(java.util.Set.copyOf(ids), lastActiveSpeakers(p), p.name);
                        }
                    });

                    resetEars(stay);
                    fourth.script("window.liveTest.room.leave(); return true;");
                    ids.remove(ids.size() - 1);
                    awaitStage(c + "back to the SFU for three", stay, "sfu", 2, 0);
                    Thread.sleep(1000);
                    assertSmooth(c + "down to the SFU", stay);
                    List<Long> lines = stay.stream().map(p -> DemoPage.number(p.script("return window.liveTest.mLines()"))).toList();
                    System.out.printf("%s m-lines in each offer: %s%n", c, lines);
                    if (cycle == 1) {
                        mLinesAfterFirst = lines;
                    } else {
                        // closed m-lines are recycled: switching back and forth does not grow the offer
                        assertEquals(mLinesAfterFirst, lines, c + "m-lines in the worker's offers, against cycle 1");
                    }
                }
                for (DemoPage p : pages) {
                    assertEquals(List.of(), p.script("return window.liveTest.errors"), p.name + " SDK errors");
                }
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> switches = (List<Map<String, Object>>) pages.get(0).script("return window.liveTest.switches");
                System.out.println("speaker1 saw: " + switches);
                assertEquals(List.of("sfu", "mcu", "sfu", "mcu", "sfu", "mcu", "sfu"),
                        switches.stream().map(s -> (String) s.get("to")).toList(), "speaker1's switches after it joined in mesh");
                assertTrue(switches.stream().noneMatch(s -> Boolean.TRUE.equals(s.get("aborted"))), "no switch aborted: " + switches);
            } finally {
                pages.forEach(DemoPage::close);
            }
        }
    }

    /**
     * The demo, with cameras: video stays forwarded through a switch to the MCU and back (a hybrid room), no
     * view freezes past TopologySwitchIT's bound, the demo plays the mix in the MCU and the speakers' own audio
     * again after it, and never both.
     */
    @Test
    void theDemoKeepsEveryonesVideoThroughTheSwitchAndPlaysTheMixInsteadOfTheSpeakers() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess worker = SfuRoomIT.worker(redis, "mcu-demo");
             ServiceProcess r1 = TopologyProtocolIT.replica(redis, "r1");
             ServiceProcess r2 = TopologyProtocolIT.replica(redis, "r2")) {
            ProtocolErrorsIT.declare(redis, "hybrid", new RoomPolicy(20, 2, TopologyMode.AUTO, null, true, 1, 3, 3, 3));
            try (DemoPage ann = TopologySwitchIT.open(r1, "hybrid", "ann");
                 DemoPage ben = TopologySwitchIT.open(r2, "hybrid", "ben");
                 DemoPage cat = TopologySwitchIT.open(r1, "hybrid", "cat");
                 DemoPage dan = TopologySwitchIT.open(r2, "hybrid", "dan")) {
                List<DemoPage> three = List.of(ann, ben, cat);
                for (DemoPage p : three) {
                    p.clickJoin();
                }
                for (DemoPage p : three) {
                    TopologySwitchIT.awaitTopology(p, "sfu", Duration.ofSeconds(30));
                    p.awaitDecodingFrom(2, Duration.ofSeconds(30));
                }
                Thread.sleep(2000);
                double annFrom = ann.now();
                dan.clickJoin();
                for (DemoPage p : List.of(ann, ben, cat, dan)) {
                    TopologySwitchIT.awaitTopology(p, "mcu", Duration.ofSeconds(30));
                }
                Thread.sleep(1500);
                TopologySwitchIT.assertNoFreeze("up to the MCU", ann, annFrom, ben.selfId());
                for (DemoPage p : List.of(ann, ben, cat, dan)) {
                    assertVideoFlowsFrom(p, 3);
                    await(p.name + " plays the mix").atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(p.script(MIX_PLAYING)));
                }

                double annBack = ann.now();
                dan.clickLeave();
                for (DemoPage p : three) {
                    TopologySwitchIT.awaitTopology(p, "sfu", Duration.ofSeconds(30));
                    p.awaitDecodingFrom(2, Duration.ofSeconds(20));
                }
                Thread.sleep(1500);
                TopologySwitchIT.assertNoFreeze("back to the SFU", ann, annBack, ben.selfId());
                for (DemoPage p : three) {
                    TopologySwitchIT.assertAudioFlows("back to the SFU", p);
                    assertEquals(Boolean.FALSE, p.script(MIX_PLAYING), p.name + " no longer has a mix tile playing");
                    assertEquals(0L, TopologySwitchIT.doubleAudioMs(p), p.name + " heard someone twice (ms)");
                    assertEquals(List.of(), p.script("return window.wrcDemo.errors"), p.name + " SDK errors");
                }
            }
        }
    }

    /** Whether the demo's mix tile plays live, enabled audio. */
    static final String MIX_PLAYING = "const v = document.querySelector('#tile-mix video');"
            + " return !!v && !v.muted && !!v.srcObject && v.srcObject.getAudioTracks().some(t => t.enabled && t.readyState === 'live');";

    private static void assertVideoFlowsFrom(DemoPage p, int peers) throws InterruptedException {
        Map<String, Long> before = p.framesByPeer();
        Thread.sleep(1000);
        Map<String, Long> after = p.framesByPeer();
        long growing = before.entrySet().stream().filter(e -> after.getOrDefault(e.getKey(), 0L) > e.getValue()).count();
        assertEquals(peers, growing, p.name + " decodes video from every other participant: " + before + " -> " + after);
    }

    /** Joins page {@code i} with tone {@code TONES[i]}; returns its participant id. */
    private static String join(DemoPage p, int i) {
        Object id = p.script(CLIENT, ROOM, p.name, TONES[i]);
        assertTrue(id instanceof String s && !s.startsWith("error"), p.name + " joins: " + id);
        return (String) id;
    }

    /**
     * Waits until every page runs {@code topology}, receives {@code own} speakers' own audio streams and
     * {@code mixes} mixes from the worker, and hears the others' tones and not its own.
     */
    private static void awaitStage(String stage, List<DemoPage> pages, String topology, int own, int mixes) {
        await(stage).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (DemoPage p : pages) {
                assertEquals(topology, p.script("return window.liveTest.room.topology"), p.name + " topology");
                if (!"mesh".equals(topology)) {
                    assertEquals(List.of((long) own, (long) mixes), p.script("return window.liveTest.audioReceivers()"),
                            p.name + " audio m-lines from the worker: [speakers' own, mixes]");
                }
            }
            for (DemoPage p : pages) {
                assertHearsOthersNotSelf(p, pages);
            }
        });
    }

    private static void resetEars(List<DemoPage> pages) {
        pages.forEach(p -> p.script("window.liveTest.resetEar(); return true;"));
    }

    private static void assertSmooth(String what, List<DemoPage> pages) {
        for (DemoPage p : pages) {
            double silence = ((Number) p.script("return window.liveTest.silence.longest")).doubleValue();
            long twice = DemoPage.number(p.script("return window.liveTest.heardTwiceMs"));
            System.out.printf("%s: %s longest silence %.0f ms, heard twice %d ms%n", what, p.name, silence, twice);
            assertEquals(0L, twice, what + ": " + p.name + " heard the mix and a speaker's own stream at once (ms)");
            assertTrue(silence <= MAX_SILENCE_MS, what + ": " + p.name + " heard nothing for " + silence + " ms");
        }
    }

    private static void assertHearsOthersNotSelf(DemoPage p, List<DemoPage> inRoom) throws InterruptedException {
        List<Integer> others = inRoom.stream().filter(o -> o != p).map(LiveMcuSwitchIT::tone).toList();
        ToneEar.assertOthersNotOwn(p.name, ToneEar.spectrum(p, "return window.liveTest.spectrum(arguments[0])", TONES, BETWEEN),
                others, tone(p), BETWEEN);
    }

    private static int tone(DemoPage p) {
        return TONES[Integer.parseInt(p.name.substring("speaker".length())) - 1];
    }

    @SuppressWarnings("unchecked")
    private static java.util.Set<String> lastActiveSpeakers(DemoPage p) {
        List<List<String>> events = (List<List<String>>) p.script("return window.liveTest.activeSpeakers");
        return events.isEmpty() ? java.util.Set.of() : java.util.Set.copyOf(events.get(events.size() - 1));
    }

    private static final String CLIENT = ToneEar.resource("/mcu/live-switch-participant.js");
}
