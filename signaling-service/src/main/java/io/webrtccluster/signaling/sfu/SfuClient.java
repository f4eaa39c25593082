package io.webrtccluster.signaling.sfu;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.webrtccluster.contracts.sfu.CreateParticipantRequest;
import io.webrtccluster.contracts.sfu.ParticipantTransport;
import io.webrtccluster.contracts.sfu.RoomAudioRequest;
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

    /** Routes a running room's audio: "forwarded", "mixed" or "both" (see {@link RoomAudioRequest}). */
    CompletionStage<Void> audio(String controlUrl, String room, String mode, int mixerSpeakers) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(controlUrl + "/v1/rooms/" + enc(room) + "/audio"))
                    .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(new RoomAudioRequest(mode, mixerSpeakers))))
                    .build();
            return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
                if (r.statusCode() != 200) {
                    throw new SfuUnavailable("SFU worker answered " + r.statusCode() + ": " + r.body());
                }
                return null;
            });
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    CompletionStage<Void> close(String controlUrl, String room, String participantId) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(participants(controlUrl, room) + "/" + enc(participantId)))
                .timeout(Duration.ofSeconds(5)).DELETE().build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).thenApply(r -> null);
    }

    /**
     * False only when nothing listens at the worker's control address any more (connection refused: its process is
     * gone, though its registration has not expired yet). A slow or unreachable worker counts as listening: only the
     * registration's expiry may call it dead, or a pause would move rooms. A bare TCP connect, not an HTTP request:
     * the HTTP client would reuse a pooled connection to the dead worker and fail with something less telling.
     */
    CompletionStage<Boolean> listening(String controlUrl) {
        URI u = URI.create(controlUrl);
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            AsynchronousSocketChannel ch = AsynchronousSocketChannel.open();
            result.completeOnTimeout(true, 1, TimeUnit.SECONDS).whenComplete((r, e) -> closeQuietly(ch));
            ch.connect(new InetSocketAddress(u.getHost(), u.getPort() < 0 ? 80 : u.getPort()), null,
                    new CompletionHandler<Void, Void>() {
                        @Override
                        public void completed(Void v, Void attachment) {
                            result.complete(true);
                        }

                        @Override
                        public void failed(Throwable e, Void attachment) {
                            result.complete(!(e instanceof ConnectException));
                        }
                    });
        } catch (IOException | RuntimeException e) {
            result.complete(true);
        }
        return result;
    }

    private static void closeQuietly(AsynchronousSocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do: the probe's answer is in
        }
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
            return CompletableFuture.failedFuture(e);
        }
    }

    private static String participants(String controlUrl, String room) {
        return controlUrl + "/v1/rooms/" + enc(room) + "/participants";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
