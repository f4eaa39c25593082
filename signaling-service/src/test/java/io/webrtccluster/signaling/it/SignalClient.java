package io.webrtccluster.signaling.it;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A protocol-level client (no browser): speaks protocol v1 over a real WebSocket and records what it receives. */
final class SignalClient implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private SignalClient(String wsUrl) {
        this.ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        received.add(JSON.readTree(partial.toString()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    static SignalClient connect(String wsUrl) {
        return new SignalClient(wsUrl);
    }

    /** Connects and joins with a dev token; returns after "joined". */
    static SignalClient joined(String baseHttp, String wsUrl, String room, String identity) {
        SignalClient c = connect(wsUrl);
        c.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"" + room + "\",\"token\":\"" + devToken(baseHttp, room, identity) + "\"}");
        c.next("joined");
        return c;
    }

    static String devToken(String baseHttp, String room, String identity) {
        try {
            String url = baseHttp + "/v1/dev-token?room=" + URLEncoder.encode(room, StandardCharsets.UTF_8)
                    + "&identity=" + URLEncoder.encode(identity, StandardCharsets.UTF_8);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).get("token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void sendJson(String text) {
        ws.sendText(text, true).join();
    }

    /** The next message of {@code type}, skipping others; fails after 10 s. */
    JsonNode next(String type) {
        return next(type, Duration.ofSeconds(10));
    }

    JsonNode next(String type, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
                if (m == null) {
                    throw new AssertionError("no \"" + type + "\" within " + within + "; still queued: " + received);
                }
                if (type.equals(m.path("type").asText())) {
                    return m;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every message that arrived within {@code wait} (and before), in order, removed from the queue. */
    java.util.List<JsonNode> drain(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        java.util.List<JsonNode> out = new java.util.ArrayList<>();
        received.drainTo(out);
        return out;
    }

    /** Joins with a raw join message (any version, token and room). */
    static SignalClient joinedWith(String wsUrl, String joinJson) {
        SignalClient c = connect(wsUrl);
        c.sendJson(joinJson);
        return c;
    }

    /** The next error message; asserts it is of {@code code}. */
    JsonNode error(String code) {
        JsonNode e = next("error");
        if (!code.equals(e.path("code").asText())) {
            throw new AssertionError("expected error " + code + " but got " + e);
        }
        return e;
    }

    /** Proves the connection still works: ping gets pong. */
    void assertAlive() {
        sendJson("{\"type\":\"ping\"}");
        next("pong");
    }

    int awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            ws.sendClose(1000, "bye").exceptionally(e -> null);
        }
        ws.abort();
    }
}
