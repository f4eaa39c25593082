package io.webrtccluster.signaling.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated corpus of malformed messages (fixed seed) from a joined client: every reply speaks the
 * protocol's language, never the implementation's, and the room keeps relaying afterwards.
 */
@Tag(Tiers.REDIS)
class MalformedMessagesIT {
    /** Java package or class names, exception names, method calls, Class.method references. */
    static final Pattern IMPLEMENTATION_DETAIL = Pattern.compile(
            "com\\.fasterxml|\\bjava\\.|\\bjavax\\.|\\bjakarta\\.|\\bio\\.(vertx|netty|quarkus|smallrye|webrtccluster)|\\borg\\.\\w"
                    + "|Exception|Error\\b|\\w+\\.\\w+\\(|\\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\\.[a-zA-Z_]\\w*|\\bat [\\w.$]+\\(");
    static RedisServer redis;
    static ServiceProcess signaling;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        signaling = ServiceProcess.start("signaling-service", "signaling-malformed", Map.of(
                "wrc.redis.url", redis.url(), "wrc.auth.dev-tokens", "true",
                // The corpus is sent as fast as replies come back; rate limiting is another test's subject.
                "wrc.limits.messages-per-second", "100000", "wrc.limits.message-burst", "100000"));
    }

    @AfterAll
    static void stop() {
        signaling.close();
        redis.close();
    }

    @Test
    void noReplyToAThousandMalformedMessagesNamesTheImplementationAndTheRoomCarriesOn() {
        List<String> corpus = corpus(new Random(20261126), 1200);
        try (RawSocket a = FrameLimitsIT.joinedOn(signaling, "malformed", "alice");
             RawSocket b = FrameLimitsIT.joinedOn(signaling, "malformed", "bob")) {
            List<String> replies = new ArrayList<>();
            int i = 0;
            for (String m : corpus) {
                a.sendText(m);
                String marker = "end-" + i++;
                a.sendText("{\"type\":\"" + marker + "\"}"); // its unknown-type error marks the end of m's replies
                while (true) {
                    RawSocket.Frame f = a.next();
                    if (f == null || f.opcode() == RawSocket.CLOSE) {
                        throw new AssertionError("connection closed (" + a.closeCode + ") after: " + m);
                    }
                    String text = f.text();
                    if (text.contains("\"ref\":\"" + marker + "\"")) {
                        break;
                    }
                    replies.add(text);
                    assertTrue(!IMPLEMENTATION_DETAIL.matcher(text).find(), "reply names the implementation: " + text + "\n to: " + m);
                }
            }
            assertTrue(corpus.size() >= 1000);
            assertTrue(replies.size() >= 900, "only " + replies.size() + " replies");
            assertTrue(replies.stream().anyMatch(r -> r.contains("nesting deeper than")), "deep nesting is named as such");
            a.sendText("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 after\"}");
            assertEquals("v=0 after", b.next("offer").get("sdp").asText());
            b.sendText("{\"type\":\"answer\",\"to\":\"alice\",\"sdp\":\"v=0 back\"}");
            assertEquals("v=0 back", a.next("answer").get("sdp").asText());
        }
    }

    /** Malformed or ill-typed messages of many kinds; none is a valid leave (that would end the test). */
    static List<String> corpus(Random r, int n) {
        String[] valid = {
            "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\"}",
            "{\"type\":\"ice-candidate\",\"to\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 1.2.3.4 5 typ host\",\"sdpMid\":\"0\"}}",
            "{\"type\":\"join\",\"v\":2,\"room\":\"malformed\",\"token\":\"x.y.z\"}",
        };
        String[] types = {"offer", "answer", "ice-candidate", "join", "ping", "teleport", "", "OFFER", "of\u0000fer", "\u202eoffer"};
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            int kind = r.nextInt(9);
            String m = switch (kind) {
                case 0 -> { // truncated JSON
                    String v = valid[r.nextInt(valid.length)];
                    yield v.substring(0, 1 + r.nextInt(v.length() - 1));
                }
                case 1 -> { // wrong types for known fields
                    String[] values = {"5", "true", "null", "[]", "{}", "\"\"", "-1", "1.5e300", "[\"bob\"]"};
                    String t = types[r.nextInt(4)];
                    yield "{\"type\":\"" + t + "\",\"to\":" + values[r.nextInt(values.length)] + ",\"sdp\":"
                            + values[r.nextInt(values.length)] + ",\"candidate\":" + values[r.nextInt(values.length)] + "}";
                }
                case 2 -> { // deep nesting, sometimes past the parser's limit
                    int depth = 500 + r.nextInt(3000);
                    boolean obj = r.nextBoolean();
                    yield "{\"type\":\"ping\",\"x\":" + (obj ? "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)
                            : "[".repeat(depth) + "]".repeat(depth)) + "}";
                }
                case 3 -> { // huge and odd numbers
                    String[] nums = {"1e999999", "-0", "+1", "0x10", "01", "1".repeat(1000 + r.nextInt(3000)), "NaN", "Infinity",
                        "1." + "0".repeat(2000), ".5", "1e", "--1"};
                    yield "{\"type\":\"" + types[r.nextInt(types.length)] + "\",\"v\":" + nums[r.nextInt(nums.length)] + "}";
                }
                case 4 -> { // odd unicode, escaped and raw
                    String[] odd = {"\\ud800", "\\udfff\\ud800", "\\u0000", "\uFEFF", "\u202e", "\uD83D\uDE00", "\\uZZZZ", "\u0085",
                        "\\u", "\uFFFF", "\u2028"};
                    StringBuilder s = new StringBuilder();
                    for (int i = 0; i < 1 + r.nextInt(6); i++) {
                        s.append(odd[r.nextInt(odd.length)]);
                    }
                    yield r.nextBoolean() ? "{\"type\":\"" + s + "\"}" : "{\"type\":\"ice-candidate\",\"to\":\"" + s + "\",\"candidate\":null}";
                }
                case 5 -> { // not an object, or no string type
                    String[] notObjects = {"[]", "\"offer\"", "42", "null", "true", "{}", "{\"type\":null}", "{\"type\":[\"offer\"]}",
                        "{\"type\":{\"x\":1}}", " ", "", "\uFEFF{\"type\":\"ping\"}", "{\"type\":\"ping\"} trailing", "{'type':'ping'}",
                        "{type:ping}", "{\"type\":\"ping\",}", "{\"type\":\"ping\"\"x\":1}", "/* c */{\"type\":\"ping\"}"};
                    yield notObjects[r.nextInt(notObjects.length)];
                }
                case 6 -> { // invalid fields on a join (this client has already joined) or a relay to itself / nobody
                    String[] fields = {"{\"type\":\"join\",\"v\":\"one\"}", "{\"type\":\"join\",\"room\":5,\"token\":[]}",
                        "{\"type\":\"offer\",\"to\":\"alice\",\"sdp\":\"v=0\"}", "{\"type\":\"offer\",\"to\":\"nobody\",\"sdp\":\"v=0\"}",
                        "{\"type\":\"answer\",\"to\":\"bob\"}", "{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":5}",
                        "{\"type\":\"join\",\"resume\":{\"sessionId\":{},\"lastSeq\":[1]}}"};
                    yield fields[r.nextInt(fields.length)];
                }
                case 7 -> { // random bytes that happen to be text
                    StringBuilder s = new StringBuilder();
                    for (int i = 0; i < 1 + r.nextInt(80); i++) {
                        s.append((char) (0x20 + r.nextInt(0x5f)));
                    }
                    yield s.toString().replace(".", ",").replace("(", "[");
                }
                default -> { // duplicate keys, long strings, escapes
                    yield "{\"type\":\"ping\",\"type\":\"" + types[r.nextInt(types.length)] + "\",\"s\":\"" + "\\\\".repeat(r.nextInt(50))
                            + "\\q\"}";
                }
            };
            if (!m.contains("\"leave\"")) {
                out.add(m);
            }
        }
        return out;
    }
}
