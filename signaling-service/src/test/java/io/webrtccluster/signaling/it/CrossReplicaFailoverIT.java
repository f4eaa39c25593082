package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two signaling replicas on one real Redis, three Chromium peers spread over both: everyone decodes
 * everyone. Then one replica is SIGKILLed mid-call: its clients resume on the other, the media never
 * stops, nobody sees a leave/join storm, and signaling (an ICE restart) still goes through.
 */
@Tag(Tiers.BROWSER)
class CrossReplicaFailoverIT {
    static final String SECRET = "failover-secret-0123456789-0123456789-xyz";

    @Test
    void threePeersOnTwoReplicasDecodeEachOtherAndSurviveAReplicaDying() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess r1 = replica(redis, "signaling-r1");
             ServiceProcess r2 = replica(redis, "signaling-r2")) {
            String viaR1 = r1.wsUrl("/v1/signal") + "," + r2.wsUrl("/v1/signal");
            String viaR2 = r2.wsUrl("/v1/signal") + "," + r1.wsUrl("/v1/signal");
            try (DemoPage alice = DemoPage.join(r1.httpUrl(), "failover", "alice", viaR1);
                 DemoPage bob = DemoPage.join(r2.httpUrl(), "failover", "bob", viaR2);
                 DemoPage carol = DemoPage.join(r1.httpUrl(), "failover", "carol", viaR1)) {
                for (DemoPage p : List.of(alice, bob, carol)) {
                    p.awaitDecodingFrom(2, Duration.ofSeconds(45));
                }
                int bobMembershipEvents = membershipEvents(bob);
                int movedMembershipEvents = membershipEvents(alice) + membershipEvents(carol);
                Map<String, Long> bobFramesBefore = bob.framesByPeer();

                r1.kill();

                for (DemoPage moved : List.of(alice, carol)) {
                    await(moved.name + " resumes on replica 2").atMost(Duration.ofSeconds(15))
                            .until(() -> resumed(moved));
                }
                Thread.sleep(3000);
                for (DemoPage p : List.of(alice, bob, carol)) {
                    Map<String, Long> before = p.framesByPeer();
                    Thread.sleep(1500);
                    Map<String, Long> after = p.framesByPeer();
                    assertEquals(2, after.size(), p.name + " still has both peers: " + p.diagnostics());
                    before.forEach((peer, f) -> assertTrue(after.get(peer) > f, p.name + " still decodes " + peer));
                }
                bob.framesByPeer().forEach((peer, f) -> assertTrue(f > bobFramesBefore.get(peer)));
                assertEquals(bobMembershipEvents, membershipEvents(bob), "bob saw no leave/join storm: " + bob.diagnostics());
                assertEquals(movedMembershipEvents, membershipEvents(alice) + membershipEvents(carol),
                        "the moved clients saw no leave/join either: " + alice.diagnostics() + carol.diagnostics());

                // Signaling works after the failover: an ICE restart from alice to bob completes through replica 2.
                String bobId = bob.selfId();
                String ufragBefore = (String) alice.script("return window.wrcDemo.room.peers.get('" + bobId
                        + "').pc.remoteDescription.sdp.match(/a=ice-ufrag:(.*)/)[1]");
                alice.script("window.wrcDemo.room.peers.get('" + bobId + "').pc.restartIce()");
                await("ICE restart answered via replica 2").atMost(Duration.ofSeconds(15)).until(() -> !ufragBefore.equals(
                        alice.script("return window.wrcDemo.room.peers.get('" + bobId
                                + "').pc.remoteDescription.sdp.match(/a=ice-ufrag:(.*)/)[1]")));
                assertNotEquals("failed", alice.peers().get(bobId).get("connectionState"));
            }
        }
    }

    static ServiceProcess replica(RedisServer redis, String name) {
        return ServiceProcess.start("signaling-service", name, Map.of("wrc.redis.url", redis.url(),
                "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true", "wrc.replica-id", name));
    }

    static boolean resumed(DemoPage p) {
        Object r = p.script("return window.wrcDemo.events.some(e => e.type === 'signaling' && e.state === 'connected' && e.resumed)");
        return Boolean.TRUE.equals(r);
    }

    /** participant-joined/left events the page has seen so far. */
    static int membershipEvents(DemoPage p) {
        return ((Number) p.script("return window.wrcDemo.events.filter(e => e.type.startsWith('participant-')).length")).intValue();
    }
}
