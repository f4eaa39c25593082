package io.webrtccluster.sfu.browser;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webrtccluster.testing.Chromium;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An MCU room with real Chromium: five speakers whose microphones are pure tones (300..1100 Hz, WebAudio
 * oscillators) and one listen-only participant. Every participant receives exactly one audio stream, the
 * mix; an FFT of it shows the other speakers' tones and not one's own (mix-minus); muting a speaker
 * takes its tone out of the mix within 200 ms. Five Chromium processes (the listener is a second tab).
 */
@Tag(Tiers.BROWSER)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class McuToneRoomIT {
    private static final String ROOM = "tones";
    private static final int[] TONES = {300, 500, 700, 900, 1100};
    /** Where nobody has a tone: the mix's noise floor near the tones. */
    private static final int[] BETWEEN = {400, 600, 800, 1000};
    private static final List<Integer> FREQS = List.of(300, 400, 500, 600, 700, 800, 900, 1000, 1100);
    private static final List<String> FLAGS = List.of("--disable-background-timer-throttling",
            "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows");
    /** A tone present in the mix is ~-30 dB in the analyser; the noise floor of Opus around it is below -90. */
    private static final double PRESENT_DB = -60;

    private WorkerProcess worker;
    private TestPageServer page;
    private final List<Peer> speakers = new ArrayList<>();
    private Peer listener;

    @BeforeAll
    void startRoom() throws Exception {
        worker = new WorkerProcess(Map.of());
        page = new TestPageServer(worker.baseUrl());
        for (int i = 0; i < TONES.length; i++) {
            speakers.add(new Peer("s" + (i + 1), page.pageUrl(), Chromium.launch(java.nio.file.Path.of("/usr/bin/chromium"), FLAGS)));
        }
        listener = Peer.inNewTab("listener", page.pageUrl(), speakers.get(speakers.size() - 1));
        for (int i = 0; i < TONES.length; i++) {
            speakers.get(i).join(ROOM, Map.of("topology", "mcu", "mixerSpeakers", 5, "tone", TONES[i]));
        }
        listener.join(ROOM, Map.of("topology", "mcu", "mixerSpeakers", 5, "listenOnly", true));
    }

    @AfterAll
    void endRoom() {
        if (listener != null) {
            listener.close();
        }
        speakers.forEach(Peer::close);
        if (page != null) {
            page.close();
        }
        if (worker != null) {
            worker.close();
        }
    }

    @Test
    @Order(1)
    void everyParticipantReceivesExactlyOneAudioStreamTheMix() {
        List<Peer> all = everyone();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Peer p : all) {
                assertThat(p.script("return window.sfu.audioReceivers();")).as(p.id + " audio streams").isEqualTo(List.of("mix"));
                assertThat(p.audioBytes("mix")).as(p.id + " mix bytes").isGreaterThan(0);
            }
        });
    }

    @Test
    @Order(2)
    void eachSpeakerHearsTheOthersAndNotThemselvesAndTheListenerHearsEveryone() throws Exception {
        worker.get("/v1/stats/mixing?reset=true"); // the mixer's delay from here on, after the room settled
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (int i = 0; i < TONES.length; i++) {
                Map<String, Double> s = spectrum(speakers.get(i));
                double weakestOther = 0;
                for (int f : TONES) {
                    if (f != TONES[i]) {
                        assertThat(s.get(Integer.toString(f))).as(speakers.get(i).id + " hears " + f + " Hz").isGreaterThan(PRESENT_DB);
                        weakestOther = Math.min(weakestOther, s.get(Integer.toString(f)));
                    }
                }
                // one's own frequency holds only the codec's noise around the other four tones: no more than
                // between the tones, where nobody speaks
                double noise = Double.NEGATIVE_INFINITY;
                for (int f : BETWEEN) {
                    noise = Math.max(noise, s.get(Integer.toString(f)));
                }
                double own = s.get(Integer.toString(TONES[i]));
                assertThat(own).as(speakers.get(i).id + " hears its own " + TONES[i] + " Hz (noise between tones " + noise + ")")
                        .isLessThan(Math.min(noise + 6, weakestOther - 10));
            }
            Map<String, Double> l = spectrum(listener);
            for (int f : TONES) {
                assertThat(l.get(Integer.toString(f))).as("listener hears " + f + " Hz").isGreaterThan(PRESENT_DB);
            }
        });
        for (Peer p : everyone()) {
            System.out.printf("%s hears %s%n", p.id, spectrum(p));
        }
    }

    @Test
    @Order(3)
    void theWorkerMixesFiveSpeakersAndSendsOneStreamPerParticipant() throws Exception {
        JsonNode active = new ObjectMapper().readTree(worker.get("/v1/rooms/" + ROOM + "/active-speakers"));
        assertThat(active.get("topology").asText()).isEqualTo("mcu");
        assertThat(active.get("speakers")).hasSize(5);
        JsonNode stats = new ObjectMapper().readTree(worker.get("/v1/stats"));
        for (JsonNode p : stats.get("rooms").get(0).get("participants")) {
            assertThat(p.get("consumers")).as(p.get("participantId").asText() + " consumers").hasSize(1);
            assertThat(p.get("consumers").get(0).get("publisherId").asText()).isEqualTo("mix");
        }
        JsonNode mixing = new ObjectMapper().readTree(worker.get("/v1/stats/mixing"));
        System.out.println("mixer added delay: " + mixing);
        // five Chromiums share the worker's two cores here: the 60 ms p99 goal is measured by bench/mcu.sh on a quiet core
        assertThat(mixing.get("p50Micros").asDouble()).as("p50 added by the mixer").isLessThan(60_000);
    }

    @Test
    @Order(4)
    void mutingASpeakerTakesItsToneOutOfTheMixWithin200ms() throws Exception {
        Peer muted = speakers.get(0);
        List<Peer> hearing = List.of(listener, speakers.get(1), speakers.get(2));
        for (Peer p : hearing) {
            double level = spectrum(p).get("300");
            assertThat(level).as(p.id + " hears 300 Hz before the mute").isGreaterThan(PRESENT_DB);
            p.script("window.sfu.watchToneGone(arguments[0], arguments[1]);", 300, PRESENT_DB);
        }
        long mutedAt = ((Number) muted.script("return window.sfu.mute(true);")).longValue();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                hearing.stream().allMatch(p -> p.script("return window.sfu.toneGoneAt;") != null));
        Map<String, Long> goneAfter = new java.util.LinkedHashMap<>();
        for (Peer p : hearing) {
            goneAfter.put(p.id, ((Number) p.script("return window.sfu.toneGoneAt;")).longValue() - mutedAt);
        }
        System.out.printf("300 Hz gone after the mute (ms): %s%n", goneAfter);
        for (Peer p : hearing) { // most of that time is the listener's own jitter buffer: show it next to the result
            System.out.printf("%s jitter buffer (NetEq) since joining: %s%n", p.id, p.script("return await window.sfu.mixJitterBuffer();"));
        }
        // the listener shares a browser with s5 (a second tab): a tab that is not in front may run its 5 ms
        // watcher late, so s2 and s3 (browsers of their own) carry the assertion, the listener only shows
        goneAfter.remove("listener");
        goneAfter.forEach((id, ms) -> assertThat(ms).as(id + ": tone gone after mute (ms)").isLessThanOrEqualTo(200));
        for (int f : new int[]{500, 700, 900, 1100}) {
            assertThat(spectrum(listener).get(Integer.toString(f))).as("listener still hears " + f).isGreaterThan(PRESENT_DB);
        }
    }

    private List<Peer> everyone() {
        List<Peer> all = new ArrayList<>(speakers);
        all.add(listener);
        return all;
    }

    /** The strongest reading per tone over 5 reads 60 ms apart (an FFT window can fall on a frame boundary). */
    @SuppressWarnings("unchecked")
    private static Map<String, Double> spectrum(Peer p) throws InterruptedException {
        Map<String, Double> best = new java.util.TreeMap<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Number> s = (Map<String, Number>) p.script("return window.sfu.spectrum(arguments[0]);", FREQS);
            if (s != null) {
                // -Infinity (an empty bin) comes back from WebDriver as null
                s.forEach((k, v) -> best.merge(k, v == null ? Double.NEGATIVE_INFINITY : v.doubleValue(), Math::max));
            }
            Thread.sleep(60);
        }
        for (int f : FREQS) {
            best.putIfAbsent(Integer.toString(f), Double.NEGATIVE_INFINITY);
        }
        return best;
    }
}
