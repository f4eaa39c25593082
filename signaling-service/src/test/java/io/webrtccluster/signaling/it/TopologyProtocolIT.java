package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live topology at the protocol level, with real Redis, two replicas and a real SFU worker but no
 * browsers: who may join which room, how many switches a join storm causes, and what a room with no
 * SFU capacity is told.
 */
@Tag(Tiers.REDIS)
class TopologyProtocolIT {
    static final String SECRET = "topology-secret-0123456789-0123456789-xyz";

    @Test
    void aJoinStormOfFourWithinOneSecondSwitchesOnceAndV1ClientsAreToldWhyTheyCannotJoin() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess worker = SfuRoomIT.worker(redis, "sfu-storm");
             ServiceProcess r1 = replica(redis, "r1");
             ServiceProcess r2 = replica(redis, "r2")) {
            ProtocolErrorsIT.declare(redis, "storm", new RoomPolicy(20, 2, TopologyMode.AUTO, null, true, 1, 3));
            List<SignalClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) { // within a second, alternating replicas
                    ServiceProcess r = i % 2 == 0 ? r1 : r2;
                    clients.add(SignalClient.joined(r.httpUrl(), ws(r), "storm", "p" + i));
                }
                // Nobody reports READY (no media here): the switch to the SFU commits at its deadline.
                List<List<JsonNode>> seen = new ArrayList<>();
                for (SignalClient c : clients) {
                    seen.add(c.drain(Duration.ofMillis(c == clients.get(0) ? 10_000 : 0)));
                }
                for (int i = 0; i < clients.size(); i++) {
                    List<JsonNode> got = seen.get(i);
                    long prepares = got.stream().filter(m -> m.path("type").asText().equals("topology-prepare")).count();
                    long commits = got.stream().filter(m -> m.path("type").asText().equals("topology-commit")).count();
                    boolean joinedDuring = i >= 3; // the 3rd join started the switch; the 4th landed in it
                    assertEquals(joinedDuring ? 0 : 1, prepares, "p" + i + " saw one switch start: " + got);
                    assertEquals(1, commits, "p" + i + " saw one commit: " + got);
                    JsonNode commit = got.stream().filter(m -> m.path("type").asText().equals("topology-commit")).findFirst().get();
                    assertEquals("sfu", commit.path("topology").asText());
                    assertEquals(4, commit.path("late").size(), "a deadline commit names everyone who had not reported READY: " + commit);
                }

                // A v1 client cannot take part in a room that switches, and is told so in protocol terms.
                SignalClient v1 = SignalClient.joinedWith(ws(r1), "{\"type\":\"join\",\"v\":1,\"room\":\"storm\",\"token\":\""
                        + SignalClient.devToken(r1.httpUrl(), "storm", "old-sdk") + "\"}");
                clients.add(v1);
                JsonNode refused = v1.error("unsupported-version");
                assertTrue(refused.path("message").asText().contains("protocol v2"), refused.toString());
                assertEquals(4000, v1.awaitClose());

                // ... but keeps working in a mesh-only room.
                ProtocolErrorsIT.declare(redis, "classic", new RoomPolicy(20, 4, TopologyMode.MESH, null, true, 1));
                SignalClient old = SignalClient.joinedWith(ws(r1), "{\"type\":\"join\",\"v\":1,\"room\":\"classic\",\"token\":\""
                        + SignalClient.devToken(r1.httpUrl(), "classic", "old-sdk") + "\"}");
                clients.add(old);
                assertEquals("mesh", old.next("joined").path("topology").asText());
            } finally {
                clients.forEach(SignalClient::close);
            }
        }
    }

    @Test
    void withoutSfuCapacityTheRoomStaysMeshAndEveryoneIsToldOnce() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess r1 = replica(redis, "r1")) {
            ProtocolErrorsIT.declare(redis, "no-sfu", new RoomPolicy(20, 2, TopologyMode.AUTO, null, true, 1, 3));
            List<SignalClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(SignalClient.joinedWith(ws(r1), join("no-sfu", "n" + i, r1)));
                    assertEquals("mesh", clients.get(i).next("joined").path("topology").asText());
                }
                for (SignalClient c : clients) {
                    JsonNode held = c.next("topology-held", Duration.ofSeconds(5));
                    assertEquals("mesh", held.path("topology").asText());
                    assertTrue(held.path("reason").asText().contains("no SFU worker"), held.toString());
                }
                SignalClient fourth = SignalClient.joinedWith(ws(r1), join("no-sfu", "n3", r1));
                clients.add(fourth);
                assertEquals("mesh", fourth.next("joined").path("topology").asText());
                for (SignalClient c : clients) {
                    assertTrue(c.drain(Duration.ofMillis(c == fourth ? 2000 : 0)).stream()
                            .noneMatch(m -> m.path("type").asText().startsWith("topology-")), "told once, not on every join");
                }
                // Reports about switches that do not exist are answered, not trusted.
                clients.get(0).sendJson("{\"type\":\"topology-ready\",\"epoch\":\"x\"}");
                clients.get(0).error("bad-message");
                clients.get(0).sendJson("{\"type\":\"sfu-open\",\"epoch\":1}");
                clients.get(0).error("bad-message");
                clients.get(0).sendJson("{\"type\":\"topology-ready\",\"epoch\":99}");
                clients.get(0).assertAlive();
            } finally {
                clients.forEach(SignalClient::close);
            }
        }
    }

    static String ws(ServiceProcess r) {
        return r.wsUrl("/v1/signal");
    }

    static String join(String room, String identity, ServiceProcess r) {
        return "{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\"" + SignalClient.devToken(r.httpUrl(), room, identity) + "\"}";
    }

    static ServiceProcess replica(RedisServer redis, String name) {
        return ServiceProcess.start("signaling-service", name, Map.of("wrc.redis.url", redis.url(),
                "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true", "wrc.replica-id", name,
                "wrc.topology.prepare-timeout", "4s"));
    }
}
