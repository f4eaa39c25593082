package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local run: one replica on its in-process default, two browser tabs in one room see and hear each other. */
@Tag(Tiers.BROWSER)
class MeshInProcessIT {

    @Test
    void twoTabsInOneRoomDecodeEachOthersVideoAndAudio() throws Exception {
        try (ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-inproc",
                Map.of("wrc.auth.dev-tokens", "true"));
             DemoPage alice = DemoPage.join(signaling.httpUrl(), "standup", "alice", null);
             DemoPage bob = DemoPage.join(signaling.httpUrl(), "standup", "bob", null)) {
            alice.awaitDecodingFrom(1, Duration.ofSeconds(30));
            bob.awaitDecodingFrom(1, Duration.ofSeconds(30));

            Map<String, Long> before = alice.framesByPeer();
            Map<String, Long> audioBefore = alice.audioBytesByPeer();
            Thread.sleep(2000);
            Map<String, Long> after = alice.framesByPeer();
            Map<String, Long> audioAfter = alice.audioBytesByPeer();
            before.forEach((peer, frames) -> assertTrue(after.get(peer) > frames, "video keeps decoding from " + peer));
            audioBefore.forEach((peer, bytes) -> assertTrue(audioAfter.get(peer) > bytes, "audio keeps arriving from " + peer));
            assertEquals(java.util.List.of(), alice.consoleErrors(), "the demo page logs no errors");
            assertEquals(java.util.List.of(), bob.consoleErrors(), "the demo page logs no errors");
        }
    }
}
