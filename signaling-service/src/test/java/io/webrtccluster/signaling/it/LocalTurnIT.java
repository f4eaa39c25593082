package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * bin/run --turn: signaling starts coturn with the operator's hardened configuration and hands out
 * TURN REST credentials for it. Two tabs forced to relay-only still see each other: the relay works
 * and the credentials signaling mints are the ones coturn accepts.
 */
@Tag(Tiers.BROWSER)
class LocalTurnIT {

    @Test
    void twoRelayOnlyTabsDecodeEachOtherThroughTheLocalCoturn() {
        int turnPort = FreePort.udp();
        int relayFrom = 20000 + (turnPort % 20000);
        try (ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-turn", Map.of(
                "wrc.auth.dev-tokens", "true", "wrc.local-turn.enabled", "true", "wrc.local-turn.port", Integer.toString(turnPort),
                "wrc.local-turn.min-relay-port", Integer.toString(relayFrom),
                "wrc.local-turn.max-relay-port", Integer.toString(relayFrom + 50)));
             DemoPage alice = DemoPage.join(signaling.httpUrl(), "relayed", "alice", null, "relay=1");
             DemoPage bob = DemoPage.join(signaling.httpUrl(), "relayed", "bob", null, "relay=1")) {
            alice.awaitDecodingFrom(1, Duration.ofSeconds(40));
            bob.awaitDecodingFrom(1, Duration.ofSeconds(40));
            for (DemoPage p : List.of(alice, bob)) {
                Map<String, Object> peer = p.peers().values().iterator().next();
                assertEquals("relay", peer.get("localCandidateType"), p.diagnostics());
            }
        }
    }
}
