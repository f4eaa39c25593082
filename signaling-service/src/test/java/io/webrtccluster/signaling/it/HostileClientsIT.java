package io.webrtccluster.signaling.it;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.signaling.token.JoinToken;
import io.webrtccluster.signaling.token.JoinTokenSigner;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile client against a real replica: idle sockets, too many sockets, guessed tokens and API keys,
 * validly signed tokens with claims no minting endpoint would sign. Loopback addresses 127.0.0.x stand for
 * distinct clients.
 */
@Tag(Tiers.REDIS)
class HostileClientsIT {
    static final String SECRET = ProtocolErrorsIT.SECRET;
    static final JoinTokenSigner SIGNER = new JoinTokenSigner(SECRET.getBytes(StandardCharsets.UTF_8), Duration.ofHours(1), Clock.systemUTC());
    static RedisServer redis;
    static ServiceProcess signaling;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        signaling = ServiceProcess.start("signaling-service", "signaling-hostile", Map.of(
                "wrc.redis.url", redis.url(), "wrc.auth.token-secret", SECRET, "wrc.auth.dev-tokens", "true",
                "wrc.auth.api-keys", "key-1", "wrc.limits.join-timeout", "4s", "wrc.limits.connections-per-address", "5",
                "wrc.limits.max-connections", "30", "wrc.limits.auth-failures-per-minute", "5"));
    }

    @AfterAll
    static void stop() {
        signaling.close();
        redis.close();
    }

    static String ws() {
        return signaling.wsUrl("/v1/signal");
    }

    static String join(String room, String token) {
        return "{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\"" + token + "\"}";
    }

    static RawSocket joined(String from, String room, String identity) {
        RawSocket s = RawSocket.connect(ws(), false, from);
        s.sendText(join(room, SignalClient.devToken(signaling.httpUrl(), room, identity)));
        s.next("joined");
        return s;
    }

    @Test
    void aSocketThatNeverJoinsIsClosedAfterTheJoinTimeoutWhileAJoinedOneStays() {
        try (RawSocket member = joined("127.0.0.10", "hostile-timeout", "alice");
             RawSocket idle = RawSocket.connect(ws(), false, "127.0.0.11")) {
            long t0 = System.nanoTime();
            idle.sendText("{\"type\":\"ping\"}"); // talking is not joining
            JsonNode e = idle.error("join-timeout");
            assertTrue(e.get("message").asText().contains("no join within 4"), e.toString());
            assertEquals(4008, idle.awaitClose());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 3_500 && ms < 6_000, "closed after " + ms + " ms");
            member.assertAlive();
        }
    }

    @Test
    void aClientOverItsAddressCapIsRefusedWhileOthersJoinAndHealthAnswers() throws Exception {
        List<RawSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                held.add(RawSocket.connect(ws(), false, "127.0.0.20"));
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RawSocket.connect(ws(), false, "127.0.0.20"));
            assertTrue(refused.getMessage().contains("429"), refused.getMessage());
            assertTrue(refused.getMessage().contains("Retry-After"), refused.getMessage());
            try (RawSocket other = joined("127.0.0.21", "hostile-cap", "bob")) {
                other.assertAlive();
            }
            assertHealthyWithinOneSecond();
        } finally {
            held.forEach(RawSocket::close);
        }
        // Closing them gives the address its share back.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                .until(() -> {
                    RawSocket.connect(ws(), false, "127.0.0.20").close();
                    return true;
                });
    }

    @Test
    void aFullReplicaRefusesNewSocketsButHealthStillAnswers() throws Exception {
        List<RawSocket> held = new ArrayList<>();
        String refusal = null;
        try {
            for (int i = 0; i < 60 && refusal == null; i++) {
                try {
                    held.add(RawSocket.connect(ws(), false, "127.0.0." + (30 + i / 5)));
                } catch (IllegalStateException e) {
                    refusal = e.getMessage();
                }
            }
            assertNotNull(refusal, "never refused");
            assertTrue(refusal.contains("503"), refusal);
            assertTrue(held.size() <= 30, held.size() + " sockets admitted");
            assertHealthyWithinOneSecond();
        } finally {
            held.forEach(RawSocket::close);
        }
    }

    static void assertHealthyWithinOneSecond() throws Exception {
        assertHealthyWithinOneSecond(signaling);
    }

    static void assertHealthyWithinOneSecond(ServiceProcess signaling) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (String path : List.of("/q/health/live", "/q/health/ready")) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(signaling.httpUrl() + path))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            assertTrue(System.nanoTime() - t0 < 1_000_000_000L, path + " took over 1 s");
        }
    }

    @Test
    void anAddressThatKeepsPresentingBadTokensIsShutOutForAWhile() {
        String valid = SignalClient.devToken(signaling.httpUrl(), "hostile-guess", "alice");
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
        for (int i = 0; i < 5; i++) {
            try (RawSocket s = RawSocket.connect(ws(), false, "127.0.0.40")) {
                s.sendText(join("hostile-guess", forged));
                s.error("unauthorized");
                assertEquals(4001, s.awaitClose());
            }
        }
        try (RawSocket s = RawSocket.connect(ws(), false, "127.0.0.40")) {
            s.sendText(join("hostile-guess", valid)); // even a good token waits: the address is cooling down
            assertTrue(s.error("too-many-attempts").get("message").asText().contains("retry in"));
            assertEquals(4029, s.awaitClose());
        }
        try (RawSocket s = joined("127.0.0.41", "hostile-guess", "alice")) {
            s.assertAlive();
        }
    }

    @Test
    void guessingApiKeysIsLimitedPerAddress() throws Exception {
        String body = "{\"room\":\"r1\",\"identity\":\"alice\",\"ttlSeconds\":60}";
        for (int i = 0; i < 5; i++) {
            assertTrue(post("127.0.0.50", "guess-" + i, body).startsWith("HTTP/1.1 401"));
        }
        String limited = post("127.0.0.50", "guess-6", body);
        assertTrue(limited.startsWith("HTTP/1.1 429"), limited);
        assertTrue(limited.toLowerCase().contains("retry-after: "), limited);
        assertTrue(limited.contains("wrong API key"), limited);
        assertTrue(post("127.0.0.50", "key-1", body).startsWith("HTTP/1.1 429"), "the right key waits too");
        assertTrue(post("127.0.0.51", "key-1", body).startsWith("HTTP/1.1 200"), "other addresses are not affected");
    }

    /** POST /v1/tokens from a given local address; the raw response. */
    static String post(String from, String apiKey, String body) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", signaling.port()), 5000);
            s.setSoTimeout(10_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + apiKey
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream r = new ByteArrayOutputStream();
            in.transferTo(r);
            return r.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void devTokenLifetimesOutsideOneSecondToTheMaximumAreRefusedWith400() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String ttl : List.of("0", "-5", Long.toString(Long.MIN_VALUE), "abc", "1.5", "3601", "99999999999999999999", "")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(signaling.httpUrl()
                    + "/v1/dev-token?room=r1&identity=alice&ttlSeconds=" + URLEncoder.encode(ttl, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (ttl.isEmpty()) {
                assertEquals(200, r.statusCode(), "no ttl: the default");
                continue;
            }
            assertEquals(400, r.statusCode(), "ttlSeconds=" + ttl + ": " + r.body());
            assertTrue(SignalClient.JSON.readTree(r.body()).get("error").asText().contains("ttlSeconds"), r.body());
        }
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(signaling.httpUrl()
                + "/v1/dev-token?room=r1&identity=alice&ttlSeconds=60")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(60, SignalClient.JSON.readTree(ok.body()).get("expiresInSeconds").asInt());
    }

    @Test
    void bothMintingEndpointsRefuseTheClaimsJoinRefuses() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String q : List.of("room=*&identity=a", "room=&identity=a", "room=r%0Ax&identity=a", "room=%7Bx%7D:members&identity=a",
                "room=r&identity=sfu", "room=r&identity=Server", "room=r&identity=a%0Ab", "room=r&identity=a&name=" + "n".repeat(65),
                "room=r&identity=a&name=line%0Abreak")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(signaling.httpUrl() + "/v1/dev-token?" + q)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, r.statusCode(), q + ": " + r.body());
        }
        String longName = "{\"room\":\"r1\",\"identity\":\"alice\",\"name\":\"" + "n".repeat(100_000) + "\"}";
        String r = post("127.0.0.52", "key-1", longName);
        assertTrue(r.startsWith("HTTP/1.1 400"), r);
        assertTrue(r.contains("name: at most 64 characters"), r);
        String perms = post("127.0.0.52", "key-1", "{\"room\":\"r1\",\"identity\":\"alice\",\"permissions\":[\"admin\"]}");
        assertTrue(perms.startsWith("HTTP/1.1 400"), perms);
    }

    @Test
    void aValidlySignedTokenWithInvalidClaimsIsRefusedAtJoin() {
        record Case(String room, String identity, String name, Set<String> perms, String complaint) {
        }
        List<Case> cases = List.of(
                new Case("*", "alice", null, JoinToken.DEFAULT_PERMISSIONS, "room"),
                new Case("", "alice", null, JoinToken.DEFAULT_PERMISSIONS, "room"),
                new Case("lobby\n", "alice", null, JoinToken.DEFAULT_PERMISSIONS, "room"),
                new Case("{x}:members", "alice", null, JoinToken.DEFAULT_PERMISSIONS, "room"),
                new Case("lobby", "sfu", null, JoinToken.DEFAULT_PERMISSIONS, "reserved"),
                new Case("lobby", "SFU", null, JoinToken.DEFAULT_PERMISSIONS, "reserved"),
                new Case("lobby", "server", null, JoinToken.DEFAULT_PERMISSIONS, "reserved"),
                new Case("lobby", "mixer", null, JoinToken.DEFAULT_PERMISSIONS, "reserved"),
                new Case("lobby", "Mix", null, JoinToken.DEFAULT_PERMISSIONS, "reserved"),
                new Case("lobby", "ali\nce", null, JoinToken.DEFAULT_PERMISSIONS, "identity"),
                new Case("lobby", "", null, JoinToken.DEFAULT_PERMISSIONS, "identity"),
                new Case("lobby", "alice", "n".repeat(65), JoinToken.DEFAULT_PERMISSIONS, "name"),
                new Case("lobby", "alice", "two\nlines", JoinToken.DEFAULT_PERMISSIONS, "name"),
                new Case("lobby", "alice", null, Set.of("admin"), "permissions"));
        int i = 0;
        for (Case c : cases) {
            String token = SIGNER.sign(c.room(), c.identity(), c.name(), Duration.ofMinutes(5), c.perms());
            // Each case from its own address, so the failed-join limit (5 a minute) does not mask the answer.
            try (RawSocket s = RawSocket.connect(ws(), false, "127.0.1." + (++i))) {
                s.sendText(SignalClient.JSON.createObjectNode().put("type", "join").put("v", 2).put("room", c.room())
                        .put("token", token).toString());
                String message = s.error("unauthorized").get("message").asText();
                assertTrue(message.contains(c.complaint()), c + ": " + message);
                assertEquals(4001, s.awaitClose(), c.toString());
            }
        }
    }

    @Test
    void abruptDisconnectsAreCountedNotLoggedOneByOne() throws Exception {
        double before = abruptTotal();
        for (int i = 0; i < 20; i++) {
            RawSocket s = i % 2 == 0 ? joined("127.0.0.70", "hostile-churn", "p" + i) : RawSocket.connect(ws(), false, "127.0.0.70");
            s.assertAlive();
            s.close(); // TCP close without a WebSocket close frame: a killed tab
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> abruptTotal() - before >= 20);
        String log = signaling.process().logText();
        long warnings = log.lines().filter(l -> l.contains(" WARN ") && (l.contains("closed") || l.contains("reset"))).count();
        assertEquals(0, warnings, log);
    }

    static double abruptTotal() {
        return ServiceProcess.get(signaling.httpUrl() + "/q/metrics").lines()
                .filter(l -> l.startsWith("wrc_signaling_abrupt_disconnects_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void onlyIntegerVersionsInTheSupportedSetAreAccepted() {
        String token = SignalClient.devToken(signaling.httpUrl(), "hostile-v", "alice");
        for (String v : List.of("\"1\"", "1.0", "4294967297", "3", "0", "-1", "true", "null", "[1]", "1e0")) {
            try (RawSocket s = RawSocket.connect(ws(), false, "127.0.0.60")) {
                s.sendText("{\"type\":\"join\",\"v\":" + v + ",\"room\":\"hostile-v\",\"token\":\"" + token + "\"}");
                JsonNode e = s.error("unsupported-version");
                assertTrue(e.get("message").asText().contains("use 1, 2"), e.toString());
                assertEquals(4000, s.awaitClose(), "v=" + v);
            }
        }
        try (RawSocket s = RawSocket.connect(ws(), false, "127.0.0.60")) {
            s.sendText(join("hostile-v", token));
            assertFalse(s.next("joined").get("participant").isMissingNode());
        }
    }
}
