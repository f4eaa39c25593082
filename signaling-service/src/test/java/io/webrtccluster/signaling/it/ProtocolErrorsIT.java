package io.webrtccluster.signaling.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against a real replica on real Redis: each gets a clear error; the connection and the room
 * survive where that is right, and nothing another participant relies on is lost.
 */
@Tag(Tiers.REDIS)
class ProtocolErrorsIT {
    static final String SECRET = "test-secret-0123456789-0123456789-abcdef";
    static RedisServer redis;
    static ServiceProcess signaling;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        signaling = ServiceProcess.start("signaling-service", "signaling-errors", Map.of(
                "wrc.redis.url", redis.url(), "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true",
                "wrc.auth.api-keys", "key-1", "wrc.limits.flood-close-after", "300"));
    }

    @AfterAll
    static void stop() {
        signaling.close();
        redis.close();
    }

    private String ws() {
        return signaling.wsUrl("/v1/signal");
    }

    @Test
    void malformedJsonGetsBadJsonAndTheConnectionStays() {
        try (SignalClient c = SignalClient.joined(signaling.httpUrl(), ws(), "errors-json", "alice")) {
            c.sendJson("{\"type\":\"offer\",");
            assertTrue(c.error("bad-json").get("message").asText().contains("not valid JSON"));
            c.sendJson("[1,2,3]");
            c.error("bad-message");
            c.assertAlive();
        }
    }

    @Test
    void unknownTypeIsNamedInTheError() {
        try (SignalClient c = SignalClient.joined(signaling.httpUrl(), ws(), "errors-type", "alice")) {
            c.sendJson("{\"type\":\"teleport\"}");
            JsonNode e = c.error("unknown-type");
            assertEquals("teleport", e.get("ref").asText());
            c.assertAlive();
        }
    }

    @Test
    void oversizedMessageIsDroppedWithTooLargeAndHugeFramesClose() {
        try (SignalClient c = SignalClient.joined(signaling.httpUrl(), ws(), "errors-size", "alice")) {
            c.sendJson("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"" + "a".repeat(70_000) + "\"}");
            assertTrue(c.error("too-large").get("message").asText().contains("65536"));
            c.assertAlive();
            // Past the transport limit (1 MiB) the socket is closed with 1009 Message Too Big.
            c.sendJson("{\"type\":\"offer\",\"sdp\":\"" + "a".repeat(1_100_000) + "\"}");
            assertEquals(1009, c.awaitClose());
        }
    }

    @Test
    void expiredForgedAndWrongRoomTokensAreRefusedAndClosed() throws Exception {
        String expired = SignalClient.JSON.readTree(ServiceProcess.get(signaling.httpUrl()
                + "/v1/dev-token?room=r1&identity=alice&ttlSeconds=1")).get("token").asText();
        Thread.sleep(2100);
        try (SignalClient c = SignalClient.connect(ws())) {
            c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"r1\",\"token\":\"" + expired + "\"}");
            assertTrue(c.error("unauthorized").get("message").asText().contains("expired"));
            assertEquals(4001, c.awaitClose());
        }
        String valid = SignalClient.devToken(signaling.httpUrl(), "r1", "alice");
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
        try (SignalClient c = SignalClient.connect(ws())) {
            c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"r1\",\"token\":\"" + forged + "\"}");
            assertTrue(c.error("unauthorized").get("message").asText().contains("signature"));
            assertEquals(4001, c.awaitClose());
        }
        try (SignalClient c = SignalClient.connect(ws())) {
            c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"r2\",\"token\":\"" + valid + "\"}");
            assertTrue(c.error("wrong-room").get("message").asText().contains("r1"));
            assertEquals(4003, c.awaitClose());
        }
    }

    @Test
    void joiningAFullDeclaredRoomIsRefusedAndTheMembersKeepTheirSeats() throws Exception {
        declare(redis, "errors-full", new RoomPolicy(2, 2, TopologyMode.MESH, null, true, 1));
        try (SignalClient a = SignalClient.joined(signaling.httpUrl(), ws(), "errors-full", "alice");
             SignalClient b = SignalClient.joined(signaling.httpUrl(), ws(), "errors-full", "bob");
             SignalClient c = SignalClient.connect(ws())) {
            c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"errors-full\",\"token\":\""
                    + SignalClient.devToken(signaling.httpUrl(), "errors-full", "carol") + "\"}");
            assertTrue(c.error("room-full").get("message").asText().contains("2 participants"));
            assertEquals(4004, c.awaitClose());
            a.sendJson("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertEquals("alice", b.next("offer").get("from").asText());
        }
    }

    @Test
    void signalingToSomeoneNotInTheRoomIsRefusedAndNothingElseChanges() {
        try (SignalClient a = SignalClient.joined(signaling.httpUrl(), ws(), "errors-absent", "alice");
             SignalClient b = SignalClient.joined(signaling.httpUrl(), ws(), "errors-absent", "bob")) {
            a.sendJson("{\"type\":\"offer\",\"to\":\"mallory\",\"sdp\":\"v=0\"}");
            JsonNode e = a.error("unknown-participant");
            assertTrue(e.get("message").asText().contains("mallory"));
            assertEquals("offer", e.get("ref").asText());
            a.sendJson("{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertEquals("alice", b.next("answer").get("from").asText());
        }
    }

    @Test
    void aFloodingClientIsRateLimitedThenClosedWhileItsRoomCarriesOn() {
        try (SignalClient flooder = SignalClient.joined(signaling.httpUrl(), ws(), "errors-flood", "flooder");
             SignalClient a = SignalClient.joined(signaling.httpUrl(), ws(), "errors-flood", "alice");
             SignalClient b = SignalClient.joined(signaling.httpUrl(), ws(), "errors-flood", "bob")) {
            for (int i = 0; i < 600 && !flooder.closed.isDone(); i++) {
                flooder.sendJson("{\"type\":\"ice-candidate\",\"to\":\"alice\",\"candidate\":{\"candidate\":\"x" + i + "\"}}");
            }
            assertTrue(flooder.error("rate-limited").get("message").asText().contains("messages/s"));
            assertEquals(1008, flooder.awaitClose());
            // At most the burst reached alice; the room still relays for everyone else.
            a.sendJson("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertEquals("alice", b.next("offer").get("from").asText());
        }
    }

    @Test
    void messagesBeforeJoinAreRefused() {
        try (SignalClient c = SignalClient.connect(ws())) {
            c.sendJson("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            c.error("not-joined");
            c.assertAlive();
        }
    }

    @Test
    void tokensAreIssuedOnlyToApiKeyHolders() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(signaling.httpUrl() + "/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"r1\",\"identity\":\"alice\",\"ttlSeconds\":60}"));
        HttpResponse<String> denied = http.send(req.header("Authorization", "Bearer wrong").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, denied.statusCode());
        assertTrue(denied.body().contains("API key"));
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(signaling.httpUrl() + "/v1/tokens"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer key-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"r1\",\"identity\":\"alice\",\"ttlSeconds\":60}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        String token = SignalClient.JSON.readTree(ok.body()).get("token").asText();
        try (SignalClient c = SignalClient.connect(ws())) {
            c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"r1\",\"token\":\"" + token + "\"}");
            assertEquals("alice", c.next("joined").get("participant").get("id").asText());
        }
    }

    /** Writes a declared room's policy the way the operator does. */
    static void declare(RedisServer redis, String room, RoomPolicy policy) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of("redis-cli", "-p", Integer.toString(redis.port()), "HSET",
                RedisKeys.roomPolicy(room)));
        policy.toHash().forEach((k, v) -> {
            cmd.add(k);
            cmd.add(v);
        });
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
    }
}
