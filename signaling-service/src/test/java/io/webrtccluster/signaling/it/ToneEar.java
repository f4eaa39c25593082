package io.webrtccluster.signaling.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads pure tones out of what a page hears (the tone participants' AnalyserNodes, see test resources mcu/). */
final class ToneEar {
    /** A tone in a received stream reads about -30 dB in the analyser; Opus's noise between the tones stays below this. */
    static final double PRESENT_DB = -60;

    private ToneEar() {
    }

    /**
     * The strongest reading per frequency over 5 reads 60 ms apart (a window can fall on a frame edge);
     * {@code script} returns {frequency: dB} for the frequencies passed as arguments[0].
     */
    @SuppressWarnings("unchecked")
    static Map<Integer, Double> spectrum(DemoPage p, String script, int[] tones, int[] between) throws InterruptedException {
        List<Integer> freqs = new ArrayList<>();
        for (int f : tones) {
            freqs.add(f);
        }
        for (int f : between) {
            freqs.add(f);
        }
        Map<Integer, Double> best = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            Map<String, Number> s = (Map<String, Number>) p.script(script, freqs);
            if (s != null) {
                s.forEach((k, v) -> best.merge(Integer.valueOf(k), v == null ? Double.NEGATIVE_INFINITY : v.doubleValue(), Math::max));
            }
            Thread.sleep(60);
        }
        freqs.forEach(f -> best.putIfAbsent(f, Double.NEGATIVE_INFINITY));
        return best;
    }

    /** {@code s} has every tone of {@code others}, and at {@code own} nothing above the codec's noise between the tones. */
    static void assertOthersNotOwn(String who, Map<Integer, Double> s, List<Integer> others, int own, int[] between) {
        double weakestOther = 0;
        for (int f : others) {
            assertTrue(s.get(f) > PRESENT_DB, who + " hears " + f + " Hz: " + s);
            weakestOther = Math.min(weakestOther, s.get(f));
        }
        double noise = Double.NEGATIVE_INFINITY;
        for (int f : between) {
            noise = Math.max(noise, s.get(f));
        }
        // one's own frequency holds only the codec's noise around the others' tones: no more than between them
        assertTrue(s.get(own) < Math.min(noise + 6, weakestOther - 10), who + " hears its own " + own + " Hz: " + s);
    }

    /** A page script from the test resources. */
    static String resource(String path) {
        try (InputStream in = ToneEar.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("test resource " + path + " missing", e);
        }
    }
}
