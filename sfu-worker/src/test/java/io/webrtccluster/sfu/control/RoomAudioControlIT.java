package io.webrtccluster.sfu.control;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.webrtccluster.sfu.browser.WorkerProcess;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code PUT /v1/rooms/{room}/audio} on a real worker process: the steps of a live switch between SFU and
 * MCU (forwarded → both → mixed and back), idempotent, and refused in the API's own terms when the request
 * is wrong. (What the steps do to media is LiveMcuSwitchIT's in signaling: browsers hear it.)
 */
@Tag(Tiers.REDIS)
class RoomAudioControlIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aLiveRoomsAudioMovesInStepsAndBadRequestsAreRefusedClearly() throws Exception {
        try (RedisServer redis = RedisServer.start();
             WorkerProcess worker = new WorkerProcess(Map.of("wrc.redis.url", redis.url()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> send(worker, "GET", "/v1/stats", null).statusCode() == 200);
            for (String p : new String[] {"alice", "bob", "carol"}) {
                assertThat(send(worker, "POST", "/v1/rooms/hall/participants", "{\"participantId\":\"" + p + "\"}").statusCode())
                        .isEqualTo(201);
            }
            assertThat(audio(worker, "hall", "{\"mode\":\"both\",\"mixerSpeakers\":2}")).isEqualTo(Map.of("topology", "mcu", "audio", "both"));
            assertThat(audio(worker, "hall", "{\"mode\":\"both\"}")).as("idempotent").isEqualTo(Map.of("topology", "mcu", "audio", "both"));
            // a participant joining mid-switch fits, whichever topology its signaling replica asked for
            assertThat(send(worker, "POST", "/v1/rooms/hall/participants",
                    "{\"participantId\":\"dave\",\"topology\":\"sfu\"}").statusCode()).isEqualTo(201);
            assertThat(audio(worker, "hall", "{\"mode\":\"mixed\"}")).isEqualTo(Map.of("topology", "mcu", "audio", "mixed"));
            assertThat(JSON.readTree(send(worker, "GET", "/v1/rooms/hall/active-speakers", null).body()).get("topology").asText())
                    .isEqualTo("mcu");
            assertThat(audio(worker, "hall", "{\"mode\":\"both\"}")).isEqualTo(Map.of("topology", "mcu", "audio", "both"));
            assertThat(audio(worker, "hall", "{\"mode\":\"forwarded\"}")).isEqualTo(Map.of("topology", "sfu", "audio", "forwarded"));
            // each participant's transport has one more offer due, not a new transport: the stats still list four
            assertThat(JSON.readTree(send(worker, "GET", "/v1/stats", null).body()).toString()).contains("\"alice\"", "\"dave\"");

            assertRefused(worker, "/v1/rooms/hall/audio", "{\"mode\":\"loud\"}", 400, "audio mode must be forwarded, mixed or both, was \"loud\"");
            assertRefused(worker, "/v1/rooms/hall/audio", "{}", 400, "audio mode must be forwarded, mixed or both, was missing");
            assertRefused(worker, "/v1/rooms/hall/audio", "{\"mode\":\"mixed\",\"mixerSpeakers\":40}", 400,
                    "speakers must be within 1..15");
            assertRefused(worker, "/v1/rooms/nowhere/audio", "{\"mode\":\"mixed\"}", 404, "no room nowhere on this worker");
            // a body that is not JSON: 400 (with no message: the JSON reader answers before the API's mappers)
            assertThat(send(worker, "PUT", "/v1/rooms/hall/audio", "mode=mixed").statusCode()).isEqualTo(400);
            HttpResponse<String> noId = send(worker, "POST", "/v1/rooms/hall/participants", "{}");
            assertThat(noId.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(noId.body()).path("error").asText()).isEqualTo("participantId is required");
            // the refusals changed nothing
            assertThat(JSON.readTree(send(worker, "GET", "/v1/rooms/hall/active-speakers", null).body()).get("topology").asText())
                    .isEqualTo("sfu");
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, String> audio(WorkerProcess worker, String room, String body) throws Exception {
        HttpResponse<String> r = send(worker, "PUT", "/v1/rooms/" + room + "/audio", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readValue(r.body(), Map.class);
    }

    private void assertRefused(WorkerProcess worker, String path, String body, int status, String message) throws Exception {
        HttpResponse<String> r = send(worker, "PUT", path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains(message);
    }

    private HttpResponse<String> send(WorkerProcess worker, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).header("content-type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
