package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mesh set-ups that users repeat: Leave and Join again beside someone, both sides renegotiating at the
 * same instant, candidates that never arrive. Every attempt must end with media decoded both ways.
 */
@Tag(Tiers.BROWSER)
class MeshReliabilityIT {
    private static ServiceProcess signaling;

    @BeforeAll
    static void start() {
        signaling = ServiceProcess.start("signaling-service", "signaling-mesh", Map.of("wrc.auth.dev-tokens", "true"));
    }

    @AfterAll
    static void stop() {
        if (signaling != null) {
            signaling.close();
        }
    }

    @Test
    void leaveAndJoinAgainBesideAnotherParticipantDecodesBothWaysEveryTime() throws Exception {
        try (DemoPage stays = DemoPage.join(signaling.httpUrl(), "rejoin", "stays", null);
             DemoPage comesAndGoes = DemoPage.open(signaling.httpUrl(), "rejoin", "goes", null, "")) {
            List<String> failures = new ArrayList<>();
            for (int cycle = 1; cycle <= 25; cycle++) {
                comesAndGoes.clickJoin();
                try {
                    comesAndGoes.awaitDecodingFrom(1, Duration.ofSeconds(5));
                    stays.awaitDecodingFrom(1, Duration.ofSeconds(5));
                } catch (AssertionError e) {
                    failures.add("cycle " + cycle + ": " + e.getMessage());
                    comesAndGoes.awaitDecodingFrom(1, Duration.ofSeconds(20)); // diagnose a slow one vs a dead one
                }
                comesAndGoes.clickLeave();
                await("cycle " + cycle + ": leave releases the camera and clears the page").atMost(Duration.ofSeconds(5))
                        .until(() -> comesAndGoes.localTracksEnded() && comesAndGoes.remoteTiles() == 0
                                && "left".equals(comesAndGoes.status()));
                await("cycle " + cycle + ": the other side sees the leave").atMost(Duration.ofSeconds(5))
                        .until(() -> stays.peers().isEmpty() && stays.remoteTiles() == 0);
            }
            assertEquals(List.of(), failures, "every one of 25 rejoins decodes both ways within 5 s");
        }
    }

    @Test
    void bothSidesRenegotiatingAtTheSameInstantConvergeEveryTime() throws Exception {
        try (DemoPage a = DemoPage.join(signaling.httpUrl(), "glare", "a", null);
             DemoPage b = DemoPage.join(signaling.httpUrl(), "glare", "b", null)) {
            a.awaitDecodingFrom(1, Duration.ofSeconds(15));
            b.awaitDecodingFrom(1, Duration.ofSeconds(15));
            String aId = a.selfId();
            String bId = b.selfId();
            for (int round = 1; round <= 20; round++) {
                // Both pages restart ICE at the same wall-clock millisecond: both offer, one must yield.
                long at = System.currentTimeMillis() + 300;
                String restartAt = "const [peer, at] = arguments; setTimeout(() => window.wrcDemo.room.peers.get(peer).pc.restartIce(),"
                        + " at - Date.now());";
                a.script(restartAt, bId, at);
                b.script(restartAt, aId, at);
                Thread.sleep(400);
                int r = round;
                Map<String, Long> aBefore = a.framesByPeer();
                Map<String, Long> bBefore = b.framesByPeer();
                try {
                    await("round " + r + " converges").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                            .until(() -> converged(a, bId) && converged(b, aId)
                                    && a.framesByPeer().getOrDefault(bId, 0L) > aBefore.getOrDefault(bId, 0L) + 10
                                    && b.framesByPeer().getOrDefault(aId, 0L) > bBefore.getOrDefault(aId, 0L) + 10);
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(e.getMessage() + "\n" + pcState(a, bId) + "\n" + pcState(b, aId)
                            + "\n" + a.diagnostics() + "\n" + b.diagnostics(), e);
                }
                // Both restarted at once, so the remote ICE credentials each side holds are the other's newest.
                assertEquals(ufrag(a, bId, "localDescription"), ufrag(b, aId, "remoteDescription"), "round " + r);
                assertEquals(ufrag(b, aId, "localDescription"), ufrag(a, bId, "remoteDescription"), "round " + r);
            }
            long collisions = collisions(a, bId) + collisions(b, aId);
            assertTrue(collisions >= 10, "the offers really crossed (glare) in most rounds: " + collisions + " of 20");
        }
    }

    @Test
    void withheldCandidatesAreRecoveredByTheWatchdog() throws Exception {
        try (DemoPage a = DemoPage.open(signaling.httpUrl(), "withheld", "a", null, "");
             DemoPage b = DemoPage.open(signaling.httpUrl(), "withheld", "b", null, "")) {
            // Both pages drop every ICE candidate they would send for the first 3 s: no pair can form, ICE sits in
            // new/checking, and only the SDK's watchdog (an ICE restart after its bound) can bring media.
            String withhold = "const until = Date.now() + 3000; const send = WebSocket.prototype.send;"
                    + " WebSocket.prototype.send = function (data) {"
                    + "   if (Date.now() < until && typeof data === 'string' && data.includes('\"ice-candidate\"')) return;"
                    + "   return send.call(this, data); };";
            a.script(withhold);
            b.script(withhold);
            a.clickJoin();
            b.clickJoin();
            a.awaitDecodingFrom(1, Duration.ofSeconds(20));
            b.awaitDecodingFrom(1, Duration.ofSeconds(20));
            long restarts = ((Number) a.script("return window.wrcDemo.events.filter(e => e.type === 'ice-restart').length"))
                    .longValue() + ((Number) b.script("return window.wrcDemo.events.filter(e => e.type === 'ice-restart').length"))
                    .longValue();
            assertTrue(restarts >= 1, "media came back through the watchdog's ICE restart: " + a.diagnostics());
        }
    }

    private static boolean converged(DemoPage p, String peer) {
        return Boolean.TRUE.equals(p.script("const pc = window.wrcDemo.room.peers.get(arguments[0]).pc;"
                + " return pc.signalingState === 'stable' && pc.connectionState === 'connected'", peer));
    }

    private static long collisions(DemoPage p, String peer) {
        return ((Number) p.script("return window.wrcDemo.room.peers.get(arguments[0]).collisions", peer)).longValue();
    }

    private static String ufrag(DemoPage p, String peer, String which) {
        return (String) p.script("return window.wrcDemo.room.peers.get(arguments[0]).pc[arguments[1]].sdp"
                + ".match(/a=ice-ufrag:(.*)/)[1].trim()", peer, which);
    }

    private static String pcState(DemoPage p, String peer) {
        return String.valueOf(p.script("const x = window.wrcDemo.room.peers.get(arguments[0]); const pc = x.pc;"
                + " return JSON.stringify({pcId: x.pcId, signaling: pc.signalingState, ice: pc.iceConnectionState,"
                + " gathering: pc.iceGatheringState, conn: pc.connectionState, pending: x.pending.length})", peer));
    }
}
