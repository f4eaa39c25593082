package io.webrtccluster.sfu.mixer;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class MixBufferTest {
    private static short[] constant(int n, int v) {
        short[] s = new short[n];
        java.util.Arrays.fill(s, (short) v);
        return s;
    }

    @Test
    void sumsSpeakersAndClipsAtSixteenBitsInsteadOfWrappingAround() {
        MixBuffer m = new MixBuffer(4);
        m.add(constant(4, 30_000));
        m.add(constant(4, 10_000));
        short[] out = new short[4];
        m.total(out);
        assertThat(out).containsOnly(Short.MAX_VALUE); // 40,000 wrapped would be -25,536

        m.clear();
        m.add(constant(4, -30_000));
        m.add(constant(4, -30_000));
        m.total(out);
        assertThat(out).containsOnly(Short.MIN_VALUE);
    }

    @Test
    void mixMinusIsExactEvenWhenTheTotalClips() {
        MixBuffer m = new MixBuffer(3);
        short[] a = {30_000, -5, 100};
        short[] b = {20_000, 7, -100};
        short[] c = {-1_000, 3, 50};
        m.add(a);
        m.add(b);
        m.add(c);
        short[] total = new short[3];
        m.total(total);
        assertThat(total).containsExactly(Short.MAX_VALUE, (short) 5, (short) 50);

        short[] forA = new short[3];
        m.minus(a, forA);
        assertThat(forA).as("b + c: a does not hear itself, and the clipped total does not leak into it")
                .containsExactly((short) 19_000, (short) 10, (short) -50);
        short[] forB = new short[3];
        m.minus(b, forB);
        assertThat(forB).containsExactly((short) 29_000, (short) -2, (short) 150);
    }

    @Test
    void aSpeakerAloneHearsSilence() {
        MixBuffer m = new MixBuffer(2);
        short[] a = {1234, -4321};
        m.add(a);
        short[] out = new short[2];
        m.minus(a, out);
        assertThat(out).containsOnly((short) 0);
    }
}
