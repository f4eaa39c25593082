package io.webrtccluster.sfu.mixer;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class SpeakerSelectorTest {
    // K = 2, floor -65 dBov, 6 dB margin, 300 ms hold, 500 ms release
    private final SpeakerSelector selector = new SpeakerSelector(2, 65, 6, 300, 500);
    private long now = 1_000;

    /** 20 ms of packets: each speaker's level in -dBov (null = sends nothing this frame). */
    private void frame(Integer a, Integer b, Integer c) {
        if (a != null) {
            selector.onLevel("a", a, now);
        }
        if (b != null) {
            selector.onLevel("b", b, now);
        }
        if (c != null) {
            selector.onLevel("c", c, now);
        }
        selector.select(now);
        now += 20;
    }

    private void frames(int n, Integer a, Integer b, Integer c) {
        for (int i = 0; i < n; i++) {
            frame(a, b, c);
        }
    }

    @Test
    void theLoudestKSpeakersAboveTheFloorAreActive() {
        frames(5, 20, 30, 40);
        assertThat(selector.select(now)).containsExactly("a", "b");
    }

    @Test
    void silenceBelowTheFloorTakesNoSlot() {
        frames(5, 127, 90, 20);
        assertThat(selector.select(now)).containsExactly("c");
    }

    @Test
    void aSlightlyLouderChallengerDoesNotDisplaceAnActiveSpeaker() {
        frames(5, 30, 32, 127);
        frames(100, 30, 32, 29); // c is louder than b, but by 3 dB only
        assertThat(selector.select(now)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aClearlyLouderChallengerTakesTheQuietestSlotOnlyAfterTheHoldTime() {
        frames(5, 30, 40, 127);
        frames(10, 30, 40, 10); // 200 ms of c 30 dB louder than b: not yet
        assertThat(selector.select(now)).containsExactlyInAnyOrder("a", "b");
        frames(10, 30, 40, 10); // past 300 ms
        assertThat(selector.select(now)).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void aShortBurstDoesNotWinASlot() {
        frames(5, 30, 40, 127);
        frames(5, 30, 40, 10);  // 100 ms cough
        frames(30, 30, 40, 127);
        assertThat(selector.select(now)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aSpeakerWhoFallsSilentIsReleasedAfterTheReleaseTimeAndTheSlotRefills() {
        frames(5, 30, 40, null);
        frames(20, 127, 40, null); // 400 ms of silence from a
        assertThat(selector.select(now)).containsExactlyInAnyOrder("a", "b");
        frames(10, 127, 40, null);
        assertThat(selector.select(now)).containsExactly("b");
        frames(1, 127, 40, 50);
        assertThat(selector.select(now)).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aSilentActiveSpeakerLosesItsSlotToATalkingOneAfterTheHoldTime() {
        frames(5, 30, 40, 127);
        frames(21, 127, 40, 50); // a silent, c talking: 420 ms, more than the hold (from when a has faded) and less than the release
        assertThat(selector.select(now)).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aSpeakerWhoStopsSendingIsReleased() {
        frames(5, 30, 40, 50);
        frames(30, null, 40, 50);
        assertThat(selector.select(now)).containsExactlyInAnyOrder("b", "c");
    }

    @Test
    void aSpeakerWithoutTheAudioLevelExtensionFillsAFreeSlotAndYieldsItToMeasuredSpeakers() {
        frames(5, AudioLevel.MISSING, 127, 127);
        assertThat(selector.select(now)).containsExactly("a");
        frames(50, AudioLevel.MISSING, 20, 25);
        assertThat(selector.select(now)).containsExactlyInAnyOrder("b", "c");
    }
}
