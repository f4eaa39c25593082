package io.webrtccluster.sfu.mixer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.webrtccluster.sfu.Captured;
import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mixer's input path against what Chromium really sends: its Opus (hybrid mode) and its RFC 6464
 * levels, captured from tone microphones (src/test/resources/captured/README.md), decoded through the
 * jitter buffer with reordering, loss, duplicates, late packets and a sequence jump.
 */
@Tag(Tiers.UNIT)
class ChromiumOpusTest {
    private static List<RtpPacket> capture(String name) {
        List<RtpPacket> out = new ArrayList<>();
        for (Captured.Line l : Captured.read("opus/" + name)) {
            out.add(RtpPacket.parse(l.bytes(), l.bytes().length));
        }
        return out;
    }

    /** Plays the packets through a jitter buffer and a decoder as the mixer does: one poll per 20 ms tick. */
    private static final class Playout {
        final JitterBuffer buffer = new JitterBuffer(5, 1400);
        final OpusDecoder decoder = new OpusDecoder();
        final Concealment concealment = new Concealment();
        final short[] frame = new short[OpusDecoder.FRAME];
        final List<short[]> pcm = new ArrayList<>();
        int packets;
        int lost;
        int fec;
        int garbage;

        void tick() {
            switch (buffer.poll()) {
                case PACKET -> {
                    packets++;
                    concealment.received();
                    if (!decoder.decode(buffer.played(), buffer.playedLength(), frame)) {
                        garbage++;
                    }
                }
                case LOST -> {
                    lost++;
                    if (concealment.lost(buffer, decoder, frame) == Concealment.Outcome.FEC) {
                        fec++;
                    }
                }
                case EMPTY -> {
                    return;
                }
            }
            pcm.add(frame.clone());
        }

        double db(int hz, int fromFrame) {
            List<short[]> tail = pcm.subList(fromFrame, pcm.size());
            short[] all = new short[tail.size() * OpusDecoder.FRAME];
            for (int i = 0; i < tail.size(); i++) {
                System.arraycopy(tail.get(i), 0, all, i * OpusDecoder.FRAME, OpusDecoder.FRAME);
            }
            return Tones.db(all, all.length, hz);
        }

        void offer(RtpPacket p) {
            buffer.offer(p.sequenceNumber(), p.bytes(), p.payloadOffset(), p.payloadLength(), AudioLevel.read(p, 3), 0);
        }
    }

    @Test
    void chromiumPacketsCarryTheAudioLevelAndDecodeToTheirTone() {
        List<RtpPacket> tone = capture("chromium-300hz.hex");
        assertThat(tone).hasSize(250);
        for (RtpPacket p : tone) {
            assertThat(AudioLevel.read(p, 3)).as("RFC 6464 level of a 0.2-gain tone").isBetween(5, 30);
        }
        Playout out = new Playout();
        for (RtpPacket p : tone) {
            out.offer(p);
            out.tick();
        }
        assertThat(out.garbage).isZero();
        assertThat(out.packets).isEqualTo(250);
        assertThat(out.db(300, 25)).as("300 Hz").isGreaterThan(-25);
        assertThat(out.db(700, 25)).as("700 Hz").isLessThan(out.db(300, 25) - 30);
    }

    @Test
    void reorderedDuplicatedAndLostPacketsStillPlayTheToneWithFecAndConcealment() {
        List<RtpPacket> tone = capture("chromium-300hz.hex");
        Random random = new Random(3);
        List<RtpPacket> arrivals = new ArrayList<>(tone);
        for (int i = 1; i + 1 < arrivals.size(); i++) {
            if (random.nextInt(10) == 0) {
                Collections.swap(arrivals, i, i + 1); // 10 % of packets one place out of order
                i++;
            }
        }
        int dropped = 0;
        for (int i = arrivals.size() - 1; i > 0; i--) {
            if (random.nextInt(20) == 0) {
                arrivals.remove(i); // 5 % loss
                dropped++;
            } else if (random.nextInt(25) == 0) {
                arrivals.add(i, arrivals.get(i)); // 4 % duplicates
            }
        }
        Playout out = new Playout();
        int a = 0;
        out.offer(arrivals.get(a++));
        out.offer(arrivals.get(a++)); // playout starts two packets deep
        while (a < arrivals.size()) {
            out.offer(arrivals.get(a++));
            out.tick();
        }
        for (int i = 0; i < 6; i++) {
            out.tick();
        }
        assertThat(out.lost).as("losses seen by playout (%d dropped)", dropped).isBetween(dropped - 3, dropped + 3);
        assertThat(out.fec).as("Chromium sends in-band FEC: some losses are rebuilt from the next packet").isGreaterThan(0);
        assertThat(out.garbage).isZero();
        assertThat(out.db(300, 25)).isGreaterThan(-25);
    }

    @Test
    void lateAndJumpingPacketsAreCountedNotPlayedAndPlayoutFollowsTheJump() {
        List<RtpPacket> tone = capture("chromium-700hz.hex");
        Playout out = new Playout();
        for (int i = 0; i < 100; i++) {
            out.offer(tone.get(i));
            out.tick();
        }
        assertThat(out.buffer.offer(tone.get(50).sequenceNumber(), new byte[]{1}, 0, 1, 0, 0))
                .isEqualTo(JitterBuffer.Arrival.LATE);
        // the sender restarts its sequence numbers far away (a new SSRC reusing the m-line, a bug, an attacker)
        for (int i = 100; i < 250; i++) {
            RtpPacket p = tone.get(i);
            int jumped = (p.sequenceNumber() + 30_000) & 0xffff;
            JitterBuffer.Arrival arrival = out.buffer.offer(jumped, p.bytes(), p.payloadOffset(), p.payloadLength(), 20, 0);
            if (i == 100) {
                assertThat(arrival).isEqualTo(JitterBuffer.Arrival.RESYNC);
            }
            out.tick();
        }
        assertThat(out.packets).isEqualTo(250);
        assertThat(out.lost).isZero();
        assertThat(out.db(700, 110)).isGreaterThan(-25);
    }

    @Test
    void twoChromiumSpeakersMixedEachHearsOnlyTheOther() {
        List<RtpPacket> low = capture("chromium-300hz.hex");
        List<RtpPacket> high = capture("chromium-700hz.hex");
        RoomMix mix = new RoomMix(MixConfig.defaults(3), null, null);
        RoomMixTest.DecodingListener lowHears = new RoomMixTest.DecodingListener("low");
        RoomMixTest.DecodingListener highHears = new RoomMixTest.DecodingListener("high");
        RoomMixTest.DecodingListener audience = new RoomMixTest.DecodingListener("audience");
        mix.addSpeaker("low");
        mix.addSpeaker("high");
        mix.addListener(lowHears);
        mix.addListener(highHears);
        mix.addListener(audience);
        for (int i = 0; i < 250; i++) {
            mix.onPacket("low", low.get(i), 3, System.nanoTime());
            mix.onPacket("high", high.get(i), 3, System.nanoTime());
            mix.tick(System.nanoTime());
        }
        assertThat(mix.activeSpeakers()).containsExactlyInAnyOrder("low", "high");
        assertThat(lowHears.db(700)).isGreaterThan(-25);
        assertThat(lowHears.db(300)).isLessThan(lowHears.db(700) - 30);
        assertThat(highHears.db(300)).isGreaterThan(-25);
        assertThat(highHears.db(700)).isLessThan(highHears.db(300) - 30);
        assertThat(audience.db(300)).isGreaterThan(-25);
        assertThat(audience.db(700)).isGreaterThan(-25);
    }
}
