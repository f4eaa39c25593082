package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis restarts (empty: no persistence). Readiness goes down and comes back, liveness never fails,
 * connected clients keep their sockets, and the room is rebuilt from the replicas' heartbeats.
 */
@Tag(Tiers.REDIS)
class RedisRestartIT {

    @Test
    void readinessFollowsRedisLivenessNeverFailsAndRoomsRecover() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-restart", Map.of(
                     "wrc.redis.url", redis.url(), "wrc.auth.dev-tokens", "true",
                     "wrc.auth.token-secret", "restart-secret-0123456789-0123456789-abc",
                     "wrc.presence.heartbeat", "1s"));
             SignalClient alice = SignalClient.joined(signaling.httpUrl(), signaling.wsUrl("/v1/signal"), "restart", "alice");
             SignalClient bob = SignalClient.joined(signaling.httpUrl(), signaling.wsUrl("/v1/signal"), "restart", "bob")) {
            String live = signaling.httpUrl() + "/q/health/live";
            String ready = signaling.httpUrl() + "/q/health/ready";
            List<Integer> liveness = new CopyOnWriteArrayList<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    liveness.add(ServiceProcess.status(live));
                    sleep(200);
                }
            });
            watcher.start();

            redis.stop();
            await("readiness goes down").atMost(Duration.ofSeconds(10)).until(() -> ServiceProcess.status(ready) == 503);
            alice.sendJson("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 during outage\"}");
            assertTrue(alice.error("unavailable").get("message").asText().contains("retry"),
                    "a message that cannot be relayed is refused out loud, not dropped silently");

            redis.restart();
            await("readiness comes back").atMost(Duration.ofSeconds(15)).until(() -> ServiceProcess.status(ready) == 200);
            Thread.sleep(2500); // a heartbeat or two re-creates the room's records

            try (SignalClient carol = SignalClient.connect(signaling.wsUrl("/v1/signal"))) {
                carol.sendJson("{\"type\":\"join\",\"v\":2,\"room\":\"restart\",\"token\":\""
                        + SignalClient.devToken(signaling.httpUrl(), "restart", "carol") + "\"}");
                JsonNode joined = carol.next("joined");
                List<String> others = new java.util.ArrayList<>();
                joined.get("participants").forEach(p -> others.add(p.get("id").asText()));
                assertEquals(List.of("alice", "bob"), others.stream().sorted().toList(), "the room was rebuilt");
            }
            alice.sendJson("{\"type\":\"offer\",\"to\":\"bob\",\"sdp\":\"v=0 after restart\"}");
            assertEquals("v=0 after restart", bob.next("offer").get("sdp").asText(), "relay works again, on the same sockets");

            watching.set(false);
            watcher.join();
            assertTrue(liveness.size() > 10);
            assertTrue(liveness.stream().allMatch(s -> s == 200), "liveness never failed: " + liveness);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
