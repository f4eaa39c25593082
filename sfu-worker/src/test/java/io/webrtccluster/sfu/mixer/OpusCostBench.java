package io.webrtccluster.sfu.mixer;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What one 20 ms frame costs in Concentus (encode at several complexities, decode), warm. A benchmark,
 * not a test: {@code mvn -pl sfu-worker -am test -Dtest=OpusCostBench -Dmcu.bench=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "mcu.bench", matches = "true")
class OpusCostBench {
    @Test
    void concentusPerFrame() {
        short[][] speech = new short[50][];
        for (int i = 0; i < 50; i++) {
            short[] a = Tones.frame(220, 5000, i);
            short[] b = Tones.frame(1340, 2000, i);
            java.util.Random r = new java.util.Random(i);
            for (int j = 0; j < a.length; j++) {
                a[j] = (short) (a[j] + b[j] + r.nextInt(600) - 300); // voiced-ish, with noise
            }
            speech[i] = a;
        }
        for (int complexity : new int[]{0, 1, 3, 5, 10}) {
            OpusEncoder enc = new OpusEncoder(32_000, complexity);
            for (int i = 0; i < 1500; i++) {
                enc.encode(speech[i % 50]);
            }
            long t = System.nanoTime();
            int n = 2500;
            for (int i = 0; i < n; i++) {
                enc.encode(speech[i % 50]);
            }
            System.out.printf("concentus encode complexity %d: %.1f us/frame%n", complexity, (System.nanoTime() - t) / 1e3 / n);
        }
        List<byte[]> packets = new java.util.ArrayList<>();
        OpusEncoder enc = new OpusEncoder(32_000, 5);
        for (int i = 0; i < 50; i++) {
            int len = enc.encode(speech[i]);
            packets.add(java.util.Arrays.copyOf(enc.packet(), len));
        }
        OpusDecoder dec = new OpusDecoder();
        short[] out = new short[OpusDecoder.FRAME];
        for (int i = 0; i < 3000; i++) {
            dec.decode(packets.get(i % 50), packets.get(i % 50).length, out);
        }
        long t = System.nanoTime();
        int n = 5000;
        for (int i = 0; i < n; i++) {
            dec.decode(packets.get(i % 50), packets.get(i % 50).length, out);
        }
        System.out.printf("concentus decode: %.1f us/frame%n", (System.nanoTime() - t) / 1e3 / n);
    }
}
