package io.webrtccluster.signaling.sfu;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.webrtccluster.contracts.sfu.CreateParticipantRequest;
import io.webrtccluster.contracts.sfu.ParticipantTransport;
import io.webrtccluster.contracts.sfu.SfuAnswer;

/** The sfu-worker control API over HTTP (see sfu-worker/README.md). Failures complete exceptionally with the worker's message. */
final class SfuClient {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** @param topology "sfu" or "mcu" (the worker mixes the room's audio); {@code mixerSpeakers} only for mcu */
    CompletionStage<ParticipantTransport> create(String controlUrl, String room, String participantId, boolean simulcast,
                                                 String topology, Integer mixerSpeakers) {
        return call("POST", participants(controlUrl, room),
                new CreateParticipantRequest(participantId, simulcast, true, topology, mixerSpeakers), 201);
    }

    CompletionStage<ParticipantTransport> answer(String controlUrl, String room, String participantId, String sdp, long version) {
        return call("POST", participants(controlUrl, room) + "/" + enc(participantId) + "/answer", new SfuAnswer(sdp, version), 200);
    }

    CompletionStage<Void> close(String controlUrl, String room, String participantId) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(participants(controlUrl, room) + "/" + enc(participantId)))
                .timeout(Duration.ofSeconds(5)).DELETE().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenApply(r -> null);
    }

    /**
     * False only when nothing listens at the worker's control address any more (connection refused: its process is
     * gone, though its registration has not expired yet). A slow or unreachable worker counts as listening: only the
     * registration's expiry may call it dead, or a pause would move rooms.
     */
    CompletionStage<Boolean> listening(String controlUrl) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(controlUrl + "/q/health/live")).timeout(Duration.ofSeconds(1)).GET().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).handle((r, e) ->
                e == null || !(rootCause(e) instanceof java.net.ConnectException));
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private CompletionStage<ParticipantTransport> call(String method, String url, Object body, int expected) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                if (r.statusCode() != expected) {
                    throw new SfuUnavailable("SFU worker answered " + r.statusCode() + ": " + r.body());
                }
                try {
                    return JSON.readValue(r.body(), ParticipantTransport.class);
                } catch (Exception e) {
                    throw new SfuUnavailable("unreadable SFU worker response: " + e.getMessage());
                }
            });
        } catch (Exception e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private static String participants(String controlUrl, String room) {
        return controlUrl + "/v1/rooms/" + enc(room) + "/participants";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
