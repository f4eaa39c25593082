package io.webrtccluster.signaling.it;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.contracts.turn.TurnPoolRecord;
import io.webrtccluster.contracts.turn.TurnRestCredentials;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A room that names a TurnPool hands each participant that pool's URLs with TURN REST credentials
 * minted for that participant from the pool's current secret; after a rotation new joins get
 * credentials from the new secret, while the old ones still verify against the pair of secrets
 * the pool's coturn servers accept during the grace window.
 */
@Tag(Tiers.REDIS)
class IceServersIT {

    @Test
    void participantsGetTheirRoomsTurnPoolWithPersonalCredentialsAndRotationKeepsOldOnesValid() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-ice", Map.of(
                     "wrc.redis.url", redis.url(), "wrc.auth.dev-tokens", "true",
                     "wrc.auth.token-secret", "ice-secret-0123456789-0123456789-abcdef",
                     "wrc.ice.stun-urls", "stun:fallback.example:3478"))) {
            ProtocolErrorsIT.declare(redis, "pooled", new RoomPolicy(10, 4, TopologyMode.MESH, "media/edge", true, 1));
            List<String> urls = List.of("stun:turn.example:3478", "turn:turn.example:3478?transport=udp",
                    "turn:turn.example:3478?transport=tcp", "turns:turn.example:5349?transport=tcp");
            hset(redis, RedisKeys.turnPool("media/edge"), new TurnPoolRecord(urls, "old-secret", 600).toHash());

            JsonNode aliceIce = joinedIce(signaling, "pooled", "alice");
            assertEquals(urls.subList(0, 1), strings(aliceIce.get(0).get("urls")));
            JsonNode turn = aliceIce.get(1);
            assertEquals(urls.subList(1, 4), strings(turn.get("urls")));
            String username = turn.get("username").asText();
            assertTrue(username.endsWith(":alice"), "credentials are tied to the participant: " + username);
            long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
            assertTrue(Math.abs(expiry - Instant.now().plusSeconds(600).getEpochSecond()) < 30, "TTL from the pool");
            assertTrue(TurnRestCredentials.accepts(List.of("old-secret"), username, turn.get("credential").asText(), Instant.now()));

            // A room without a pool gets the service's configured servers.
            assertEquals("stun:fallback.example:3478", joinedIce(signaling, "plain", "carol").get(0).get("urls").get(0).asText());

            // Rotation: the operator publishes the new secret; coturn accepts both during the grace window.
            hset(redis, RedisKeys.turnPool("media/edge"), new TurnPoolRecord(urls, "new-secret", 600).toHash());
            Thread.sleep(5500); // signaling caches pool records for 5 s
            JsonNode bobTurn = joinedIce(signaling, "pooled", "bob").get(1);
            String bobUser = bobTurn.get("username").asText();
            assertTrue(TurnRestCredentials.accepts(List.of("new-secret"), bobUser, bobTurn.get("credential").asText(), Instant.now()));
            assertFalse(TurnRestCredentials.accepts(List.of("old-secret"), bobUser, bobTurn.get("credential").asText(), Instant.now()));
            assertTrue(TurnRestCredentials.accepts(List.of("new-secret", "old-secret"), username, turn.get("credential").asText(),
                    Instant.now()), "alice's credentials still work during the grace window");
        }
    }

    static JsonNode joinedIce(ServiceProcess signaling, String room, String identity) {
        try (SignalClient c = SignalClient.connect(signaling.wsUrl("/v1/signal"))) {
            c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\""
                    + SignalClient.devToken(signaling.httpUrl(), room, identity) + "\"}");
            return c.next("joined").get("iceServers");
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static void hset(RedisServer redis, String key, Map<String, String> fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port()), "HSET", key));
        fields.forEach((k, v) -> {
            cmd.add(k);
            cmd.add(v);
        });
        assertEquals(0, new ProcessBuilder(cmd).start().waitFor());
    }
}
