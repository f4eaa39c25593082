package io.webrtccluster.sfu.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webrtccluster.contracts.sfu.WorkerRecord;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.sfu.browser.WorkerProcess;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker against a real redis-server: registration with heartbeat and TTL, offers in inboxes, drain on SIGTERM. */
@Tag(Tiers.REDIS)
class WorkerRegistrationIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void registersWithHeartbeatDeliversOffersToTheInboxAndDrainsOnSigterm() throws Exception {
        try (RedisServer redis = RedisServer.start();
             WorkerProcess worker = new WorkerProcess(Map.of("wrc.redis.url", redis.url(), "wrc.sfu.heartbeat", "500ms",
                     "wrc.sfu.drain-timeout", "15s"))) {
            String id = "sfu-test-" + worker.udpPort;
            String key = RedisKeys.sfuWorker(id);
            await().atMost(Duration.ofSeconds(5)).until(() -> !hgetall(redis, key).isEmpty());
            WorkerRecord record = WorkerRecord.fromHash(hgetall(redis, key));
            assertThat(record.controlUrl()).isEqualTo("http://127.0.0.1:" + worker.httpPort);
            assertThat(record.draining()).isFalse();
            long ttl = Long.parseLong(cli(redis, "PTTL", key).trim());
            assertThat(ttl).isBetween(1L, 1500L);
            assertThat(cli(redis, "SISMEMBER", RedisKeys.sfuWorkers(), id).trim()).isEqualTo("1");

            // The offer for a new participant lands in its inbox stream and on its channel.
            List<String> published = new CopyOnWriteArrayList<>();
            Process sub = new ProcessBuilder("redis-cli", "-p", Integer.toString(redis.port()), "--no-raw", "SUBSCRIBE",
                    RedisKeys.participantChannel("r1", "alice")).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try {
                    java.io.BufferedReader r = new java.io.BufferedReader(
                            new java.io.InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8));
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        published.add(line);
                    }
                } catch (IOException e) {
                    // subscriber ended
                }
            });
            reader.start();
            Thread.sleep(300);
            HttpResponse<String> created = post(worker, "/v1/rooms/r1/participants", "{\"participantId\":\"alice\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(JSON.readTree(created.body()).get("delivered").asBoolean()).isTrue();
            String inbox = cli(redis, "XRANGE", RedisKeys.inbox("r1", "alice"), "-", "+");
            String message = inbox.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
            JsonNode offer = JSON.readTree(message);
            assertThat(offer.get("type").asText()).isEqualTo("offer");
            assertThat(offer.get("from").asText()).isEqualTo("sfu");
            assertThat(offer.get("sdp").asText()).startsWith("v=0").contains("a=ice-lite");
            await().atMost(Duration.ofSeconds(3)).until(() -> published.stream().anyMatch(l -> l.contains("\\\"type\\\":\\\"offer\\\"")
                    || l.contains("\"type\":\"offer\"")));
            sub.destroy();

            await().atMost(Duration.ofSeconds(3)).until(() -> "1".equals(hgetall(redis, key).get("participants")));

            // SIGTERM: stop taking participants, say so in Redis, wait for the current one to leave.
            ProcessHandle.of(worker.process.pid()).orElseThrow().destroy();
            await().atMost(Duration.ofSeconds(5)).until(() -> "true".equals(hgetall(redis, key).get("draining")));
            assertThat(post(worker, "/v1/rooms/r1/participants", "{\"participantId\":\"bob\"}").statusCode()).isEqualTo(503);
            assertThat(worker.process.isAlive()).as("still serving alice while draining").isTrue();
            long closedAt = System.currentTimeMillis();
            http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + "/v1/rooms/r1/participants/alice")).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            await().atMost(Duration.ofSeconds(5)).until(() -> !worker.process.isAlive());
            System.out.printf("drain: exited %d ms after the last participant left%n", System.currentTimeMillis() - closedAt);
            assertThat(hgetall(redis, key)).isEmpty();
            assertThat(cli(redis, "SISMEMBER", RedisKeys.sfuWorkers(), id).trim()).isEqualTo("0");
        }
    }

    @Test
    void aKilledWorkersRegistrationExpires() throws Exception {
        try (RedisServer redis = RedisServer.start();
             WorkerProcess worker = new WorkerProcess(Map.of("wrc.redis.url", redis.url(), "wrc.sfu.heartbeat", "500ms"))) {
            String key = RedisKeys.sfuWorker("sfu-test-" + worker.udpPort);
            await().atMost(Duration.ofSeconds(5)).until(() -> !hgetall(redis, key).isEmpty());
            worker.process.kill();
            long killedAt = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> hgetall(redis, key).isEmpty());
            System.out.printf("kill -9: registration gone %d ms later%n", System.currentTimeMillis() - killedAt);
        }
    }

    private HttpResponse<String> post(WorkerProcess worker, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(worker.baseUrl() + path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> hgetall(RedisServer redis, String key) throws Exception {
        List<String> lines = new ArrayList<>(cli(redis, "HGETALL", key).lines().toList());
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            m.put(lines.get(i), lines.get(i + 1));
        }
        return m;
    }

    private static String cli(RedisServer redis, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(redis.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
