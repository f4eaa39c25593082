package io.webrtccluster.sfu.mixer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole mix path on decoded audio: tones in as Opus RTP, mixes out as Opus, decoded and analysed. */
@Tag(Tiers.UNIT)
class RoomMixTest {
    static final int[] TONES = {300, 500, 700, 900, 1100};

    /** A listener that decodes what it receives, like a browser would. */
    static final class DecodingListener implements RoomMix.Listener {
        final String id;
        final OpusDecoder decoder = new OpusDecoder();
        final short[] pcm = new short[OpusDecoder.FRAME * 10];
        final short[] frame = new short[OpusDecoder.FRAME];
        int frames;
        int skipped;
        int lastCsrcs;

        DecodingListener(String id) {
            this.id = id;
        }

        @Override
        public String participantId() {
            return id;
        }

        @Override
        public void send(byte[] opus, int length, long[] csrcs, int csrcCount, long nowMs) {
            decoder.decode(opus, length, frame);
            System.arraycopy(pcm, OpusDecoder.FRAME, pcm, 0, pcm.length - OpusDecoder.FRAME); // keep the last 200 ms
            System.arraycopy(frame, 0, pcm, pcm.length - OpusDecoder.FRAME, OpusDecoder.FRAME);
            frames++;
            lastCsrcs = csrcCount;
        }

        @Override
        public void skip() {
            skipped++;
        }

        double db(int hz) {
            return Tones.db(pcm, pcm.length, hz);
        }
    }

    @Test
    void everySpeakerHearsTheOthersButNotItselfAndAListenerHearsEveryone() {
        RoomMix mix = new RoomMix(MixConfig.defaults(5), null, null);
        Map<String, DecodingListener> listeners = new HashMap<>();
        Map<String, List<byte[]>> streams = new HashMap<>();
        for (int i = 0; i < TONES.length; i++) {
            String id = "s" + i;
            mix.addSpeaker(id);
            listeners.put(id, new DecodingListener(id));
            mix.addListener(listeners.get(id));
            streams.put(id, Tones.opus(TONES[i], 6000, 50));
        }
        DecodingListener audience = new DecodingListener("audience");
        mix.addListener(audience);
        long t0 = System.nanoTime();
        for (int f = 0; f < 50; f++) {
            for (int i = 0; i < TONES.length; i++) {
                byte[] rtp = Tones.rtp(1000 + f, 960L * f, i + 1, 30, streams.get("s" + i).get(f));
                mix.onPacket("s" + i, RtpPacket.parse(rtp, rtp.length), Tones.EXT_AUDIO_LEVEL, System.nanoTime());
            }
            mix.tick(System.nanoTime());
        }
        System.out.printf("50 ticks with 5 speakers and 6 listeners: %.1f ms per tick (cold JIT)%n",
                (System.nanoTime() - t0) / 50 / 1e6);
        if (Boolean.getBoolean("mix.timing")) {
            for (int round = 0; round < 10; round++) {
                long t1 = System.nanoTime();
                for (int f = 0; f < 50; f++) {
                    for (int i = 0; i < TONES.length; i++) {
                        byte[] rtp = Tones.rtp(1050 + round * 50 + f, 960L * f, i + 1, 30, streams.get("s" + i).get(f));
                        mix.onPacket("s" + i, RtpPacket.parse(rtp, rtp.length), Tones.EXT_AUDIO_LEVEL, System.nanoTime());
                    }
                    mix.tick(System.nanoTime());
                }
                System.out.printf("round %d: %.2f ms per tick%n", round, (System.nanoTime() - t1) / 50 / 1e6);
            }
        }
        assertThat(mix.activeSpeakers()).hasSize(5);
        for (int i = 0; i < TONES.length; i++) {
            DecodingListener l = listeners.get("s" + i);
            assertThat(l.lastCsrcs).as("contributing sources in s%d's mix-minus", i).isEqualTo(4);
            double weakestOther = 0;
            for (int hz : TONES) {
                if (hz != TONES[i]) {
                    assertThat(l.db(hz)).as("s%d hears %d Hz", i, hz).isGreaterThan(-25);
                    weakestOther = Math.min(weakestOther, l.db(hz));
                }
            }
            // what is left at one's own frequency is the codec's noise around four other tones
            assertThat(l.db(TONES[i])).as("s%d hears its own %d Hz", i, TONES[i]).isLessThan(weakestOther - 15);
        }
        for (int hz : TONES) {
            assertThat(audience.db(hz)).as("audience hears %d Hz", hz).isGreaterThan(-25);
        }
        assertThat(audience.lastCsrcs).isEqualTo(5);
    }

    @Test
    void garbagePayloadsFromOneSpeakerLeaveTheOthersInTheMixAndAreCounted() {
        RoomMix mix = new RoomMix(MixConfig.defaults(3), null, null);
        DecodingListener audience = new DecodingListener("audience");
        mix.addListener(audience);
        mix.addSpeaker("good");
        mix.addSpeaker("evil");
        List<byte[]> tone = Tones.opus(500, 6000, 60);
        java.util.Random random = new java.util.Random(7);
        long garbageBefore = MixerCounters.get().value(MixerCounters.Kind.GARBAGE_OPUS);
        for (int f = 0; f < 60; f++) {
            byte[] good = Tones.rtp(f, 960L * f, 1, 30, tone.get(f));
            mix.onPacket("good", RtpPacket.parse(good, good.length), Tones.EXT_AUDIO_LEVEL, System.nanoTime());
            byte[] junk = new byte[1 + random.nextInt(400)];
            random.nextBytes(junk);
            byte[] evil = Tones.rtp(f * 7919, random.nextInt(), 2, 10, junk); // loud, random sequence numbers too
            mix.onPacket("evil", RtpPacket.parse(evil, evil.length), Tones.EXT_AUDIO_LEVEL, System.nanoTime());
            mix.tick(System.nanoTime());
        }
        assertThat(audience.frames).isGreaterThan(50);
        assertThat(audience.db(500)).isGreaterThan(-25);
        assertThat(MixerCounters.get().value(MixerCounters.Kind.GARBAGE_OPUS) - garbageBefore).isGreaterThan(0);
    }

    @Test
    void withKOfThreeOnlyTheThreeLoudestAreMixedAndSharedEncodingIsOnePerTick() {
        RoomMix mix = new RoomMix(MixConfig.defaults(3), null, null);
        List<DecodingListener> audience = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DecodingListener l = new DecodingListener("a" + i);
            audience.add(l);
            mix.addListener(l);
        }
        int[] levels = {10, 20, 30, 50, 60}; // -dBov: s0 loudest
        Map<String, List<byte[]>> streams = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            mix.addSpeaker("s" + i);
            streams.put("s" + i, Tones.opus(TONES[i], 3000, 40));
        }
        for (int f = 0; f < 40; f++) {
            for (int i = 0; i < 5; i++) {
                byte[] rtp = Tones.rtp(f, 960L * f, i + 1, levels[i], streams.get("s" + i).get(f));
                mix.onPacket("s" + i, RtpPacket.parse(rtp, rtp.length), Tones.EXT_AUDIO_LEVEL, System.nanoTime());
            }
            mix.tick(System.nanoTime());
        }
        assertThat(mix.activeSpeakers()).containsExactlyInAnyOrder("s0", "s1", "s2");
        DecodingListener a = audience.get(7);
        assertThat(a.db(300)).isGreaterThan(-30);
        assertThat(a.db(500)).isGreaterThan(-30);
        assertThat(a.db(700)).isGreaterThan(-30);
        assertThat(a.db(900)).as("4th loudest is not mixed").isLessThan(-50);
        assertThat(a.db(1100)).isLessThan(-50);
    }
}
