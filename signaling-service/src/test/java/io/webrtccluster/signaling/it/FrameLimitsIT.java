package io.webrtccluster.signaling.it;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the server does with frames as they arrive on the wire, written byte for byte (single frames of an
 * exact size, binary frames, invalid UTF-8), with and without permessage-deflate: what the README promises.
 */
@Tag(Tiers.REDIS)
class FrameLimitsIT {
    static RedisServer redis;
    static ServiceProcess signaling;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        signaling = ServiceProcess.start("signaling-service", "signaling-frames", Map.of(
                "wrc.redis.url", redis.url(), "wrc.auth.token-secret", ProtocolErrorsIT.SECRET, "wrc.auth.dev-tokens", "true"));
    }

    @AfterAll
    static void stop() {
        signaling.close();
        redis.close();
    }

    static RawSocket joined(String room, String identity, boolean deflate) {
        return joinedOn(signaling, room, identity, deflate);
    }

    static RawSocket joinedOn(ServiceProcess service, String room, String identity) {
        return joinedOn(service, room, identity, false);
    }

    static RawSocket joinedOn(ServiceProcess service, String room, String identity, boolean deflate) {
        RawSocket s = RawSocket.connect(service.wsUrl("/v1/signal"), deflate);
        s.sendText("{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\""
                + SignalClient.devToken(service.httpUrl(), room, identity) + "\"}");
        s.next("joined");
        return s;
    }

    /** An offer to {@code to} whose JSON is exactly {@code bytes} long. */
    static String offerOfSize(String to, int bytes) {
        String head = "{\"type\":\"offer\",\"to\":\"" + to + "\",\"sdp\":\"";
        return head + "a".repeat(bytes - head.length() - 2) + "\"}";
    }

    @ParameterizedTest(name = "permessage-deflate: {0}")
    @ValueSource(booleans = {false, true})
    void aMessageOverTheLimitGetsTooLargeAndTheSocketStillRelays(boolean deflate) {
        String room = "frames-large-" + deflate;
        try (RawSocket a = joined(room, "alice", deflate); RawSocket b = joined(room, "bob", deflate)) {
            String big = offerOfSize("bob", 65_537);
            assertEquals(65_537, big.getBytes(StandardCharsets.UTF_8).length);
            a.sendText(big);
            JsonNode e = a.error("too-large");
            assertTrue(e.get("message").asText().contains("65536"), e.toString());
            a.assertAlive();
            a.sendText(offerOfSize("bob", 65_536)); // the limit itself is allowed
            assertEquals(65_536 - "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"".length() - 2,
                    b.next("offer").get("sdp").asText().length());
            a.sendText("{\"type\":\"answer\",\"to\":\"bob\",\"sdp\":\"v=0\"}");
            assertEquals("v=0", b.next("answer").get("sdp").asText());
        }
    }

    /**
     * An answer to the SFU has an m-line per stream received: Chromium answers ~75 KB in a 50-participant room,
     * so it may be up to 512 KiB. Nothing else may pass 64 KiB, and nothing may pass 512 KiB.
     */
    @Test
    void onlyAnAnswerToTheSfuMayExceedSixtyFourKibibytes() {
        try (RawSocket a = joined("frames-sfu-answer", "alice", false)) {
            a.sendText(answerToSfuOfSize(100_000));
            JsonNode e = a.next("error");
            // past the size check: this mesh room has no SFU transport to take it
            assertEquals("unknown-participant", e.path("code").asText(), e.toString());
            a.sendText(offerOfSize("sfu", 100_000));
            assertTrue(a.error("too-large").get("message").asText().contains("65536"));
            a.sendText("[\"" + "x".repeat(100_000) + "\"]");
            assertTrue(a.error("too-large").get("message").asText().contains("65536"), "garbage is too large, not bad JSON");
            a.sendText(answerToSfuOfSize(524_289));
            assertTrue(a.error("too-large").get("message").asText().contains("524288"));
            a.assertAlive();
        }
    }

    static String answerToSfuOfSize(int bytes) {
        String head = "{\"type\":\"answer\",\"to\":\"sfu\",\"version\":1,\"sdp\":\"";
        return head + "a".repeat(bytes - head.length() - 2) + "\"}";
    }

    @ParameterizedTest(name = "permessage-deflate: {0}")
    @ValueSource(booleans = {false, true})
    void aMessageOverOneMebibyteClosesWith1009(boolean deflate) {
        String room = "frames-huge-" + deflate;
        try (RawSocket a = joined(room, "alice", deflate); RawSocket b = joined(room, "bob", deflate)) {
            a.sendText(offerOfSize("bob", 1_048_577));
            assertEquals(1009, a.awaitClose());
            b.assertAlive();
        }
    }

    @ParameterizedTest(name = "permessage-deflate: {0}")
    @ValueSource(booleans = {false, true})
    void binaryFramesGetAnErrorAndTheSocketStays(boolean deflate) {
        try (RawSocket a = joined("frames-binary-" + deflate, "alice", deflate)) {
            a.send(RawSocket.BINARY, new byte[] {1, 2, 3});
            assertTrue(a.error("bad-message").get("message").asText().contains("binary frames are not part of the protocol"));
            a.assertAlive();
        }
    }

    @ParameterizedTest(name = "permessage-deflate: {0}")
    @ValueSource(booleans = {false, true})
    void invalidUtf8ClosesWith1007(boolean deflate) {
        try (RawSocket a = joined("frames-utf8-" + deflate, "alice", deflate)) {
            byte[] bad = "{\"type\":\"ping\",\"x\":\"\u00ff\u00fe\"}".getBytes(StandardCharsets.ISO_8859_1); // lone 0xff 0xfe bytes
            a.send(RawSocket.TEXT, bad);
            assertEquals(1007, a.awaitClose());
        }
    }
}
