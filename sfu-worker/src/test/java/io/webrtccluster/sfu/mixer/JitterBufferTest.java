package io.webrtccluster.sfu.mixer;

import java.util.ArrayList;
import java.util.List;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class JitterBufferTest {
    private final JitterBuffer buffer = new JitterBuffer(5, 1400);

    /** Offers a one-byte payload carrying the low byte of the sequence number, so plays can be told apart. */
    private JitterBuffer.Arrival offer(int seq) {
        return buffer.offer(seq & 0xffff, new byte[]{(byte) seq}, 0, 1, 30, 0);
    }

    /** Polls {@code n} ticks; a played packet shows as its payload byte, a loss as "L", nothing as "-". */
    private List<String> play(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            switch (buffer.poll()) {
                case PACKET -> out.add(Integer.toString(buffer.played()[0] & 0xff));
                case LOST -> out.add("L");
                case EMPTY -> out.add("-");
            }
        }
        return out;
    }

    @Test
    void reordersPacketsThatArriveOutOfOrder() {
        offer(10);
        offer(12);
        offer(11);
        offer(13);
        assertThat(play(5)).containsExactly("10", "11", "12", "13", "-");
    }

    @Test
    void aMissingPacketWithNewerOnesBehindItIsLostAndOnlyThatOne() {
        offer(10);
        offer(12);
        offer(13);
        assertThat(play(4)).containsExactly("10", "L", "12", "13");
    }

    @Test
    void whenTheBufferRunsDryPlayoutWaitsInsteadOfDeclaringLoss() {
        offer(10);
        assertThat(play(2)).containsExactly("10", "-");
        offer(11); // one tick late: played next, nothing skipped
        assertThat(play(1)).containsExactly("11");
    }

    @Test
    void aPacketArrivingAfterItsFrameWasPlayedIsLateAndDropped() {
        offer(10);
        offer(12);
        offer(13);
        assertThat(play(2)).containsExactly("10", "L");
        assertThat(offer(11)).isEqualTo(JitterBuffer.Arrival.LATE);
        assertThat(offer(12)).isEqualTo(JitterBuffer.Arrival.DUPLICATE);
        assertThat(play(3)).containsExactly("12", "13", "-");
    }

    @Test
    void aGapWithOnlyOneNewerPacketWaitsAFrameForTheReorderedOne() {
        offer(10);
        offer(12);
        assertThat(play(2)).containsExactly("10", "-");
        offer(11);
        assertThat(play(3)).containsExactly("11", "12", "-");
    }

    @Test
    void sequenceNumbersWrapAroundWithoutLoss() {
        offer(65534);
        offer(65535);
        offer(0);
        offer(1);
        assertThat(play(4)).containsExactly("254", "255", "0", "1");
    }

    @Test
    void aHugeSequenceJumpRestartsTheBufferThereInsteadOfThousandsOfLosses() {
        offer(100);
        play(1);
        assertThat(offer(40_000)).isEqualTo(JitterBuffer.Arrival.RESYNC);
        offer(40_001);
        assertThat(play(3)).containsExactly(Integer.toString(40_000 & 0xff), Integer.toString(40_001 & 0xff), "-");
        assertThat(offer(101)).as("the old stream's stragglers are far away now: another restart, not a late packet")
                .isEqualTo(JitterBuffer.Arrival.RESYNC);
    }

    @Test
    void aFloodingSpeakerIsCappedAtTheMaximumDepthAndKeepsItsNewestFrames() {
        for (int s = 0; s < 200; s++) {
            offer(s);
        }
        assertThat(buffer.depth()).isEqualTo(5);
        assertThat(play(6)).containsExactly("195", "196", "197", "198", "199", "-");
    }

    @Test
    void aDelayNoLongerNeededIsTrimmedByOneFrame() {
        int seq = 0;
        offer(seq++);
        offer(seq++); // two in the buffer from now on: one frame more delay than needed
        for (int tick = 0; tick < JitterBuffer.TRIM_WINDOW + 1; tick++) {
            offer(seq++);
            buffer.poll();
        }
        assertThat(buffer.trimmed()).isEqualTo(1);
        assertThat(buffer.depth()).isEqualTo(1);
    }

    @Test
    void timestampsDoNotMatterOnlySequenceNumbersAndTheAudioLevelComesBackWithThePacket() {
        buffer.offer(7, new byte[]{1, 2, 3}, 0, 3, 42, 123);
        assertThat(buffer.poll()).isEqualTo(JitterBuffer.Play.PACKET);
        assertThat(buffer.playedLength()).isEqualTo(3);
        assertThat(buffer.playedLevel()).isEqualTo(42);
        assertThat(buffer.playedArrivalNanos()).isEqualTo(123);
    }
}
