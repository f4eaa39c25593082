package io.webrtccluster.sfu.browser;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions about what a browser decodes, by comparing two reports taken a moment apart. */
final class MediaFlow {
    private MediaFlow() {
    }

    /** Every peer decodes growing video and receives growing audio from every other peer. */
    static void assertEveryoneReceivesEveryone(List<Peer> peers, long windowMs) throws InterruptedException {
        long[][] frames = new long[peers.size()][peers.size()];
        long[][] audio = new long[peers.size()][peers.size()];
        for (int i = 0; i < peers.size(); i++) {
            for (int j = 0; j < peers.size(); j++) {
                if (i != j) {
                    frames[i][j] = peers.get(i).frames(peers.get(j).id);
                    audio[i][j] = peers.get(i).audioBytes(peers.get(j).id);
                }
            }
        }
        Thread.sleep(windowMs);
        for (int i = 0; i < peers.size(); i++) {
            for (int j = 0; j < peers.size(); j++) {
                if (i == j) {
                    continue;
                }
                String who = peers.get(i).id + " <- " + peers.get(j).id;
                assertThat(peers.get(i).frames(peers.get(j).id)).as(who + " video frames decoded").isGreaterThan(frames[i][j]);
                assertThat(peers.get(i).audioBytes(peers.get(j).id)).as(who + " audio bytes").isGreaterThan(audio[i][j]);
            }
        }
    }
}
