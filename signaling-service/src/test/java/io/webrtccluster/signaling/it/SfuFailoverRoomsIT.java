package io.webrtccluster.signaling.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.testing.FreePort;
import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every room of a killed worker moves, not only the first one the failover check looks at: three SFU rooms
 * on one worker, SIGKILLed while its registration still has seconds to live (5 s heartbeat, so 15 s TTL).
 * Each room's participant is told ({@code sfu-reset}) and gets an offer from the other worker within
 * {@link #WITHIN}, long before the registration would have expired. (Protocol level, no browser: the
 * transports are opened and offered; SfuWorkerStopIT shows media coming back in Chromium.)
 */
@Tag(Tiers.REDIS)
class SfuFailoverRoomsIT {
    static final Duration WITHIN = Duration.ofSeconds(4);

    @Test
    void everyRoomOfAKilledWorkerGetsATransportOnAnotherWorkerBeforeItsRegistrationExpires() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess doomed = worker(redis, "doomed");
             ServiceProcess signaling = TopologyProtocolIT.replica(redis, "r1")) {
            List<SignalClient> clients = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    String room = "hall-" + i;
                    ProtocolErrorsIT.declare(redis, room, new RoomPolicy(20, 1, TopologyMode.SFU, null, true, 1));
                    SignalClient c = SignalClient.joined(signaling.httpUrl(), TopologyProtocolIT.ws(signaling), room, "p" + i);
                    clients.add(c);
                    assertEquals("sfu", c.next("offer", Duration.ofSeconds(15)).path("from").asText(), room + " offer from the worker");
                    assertEquals("doomed", SfuRoomIT.redisGet(redis, RedisKeys.roomSfuWorker(room)));
                }
                try (ServiceProcess spare = worker(redis, "spare")) {
                    Thread.sleep(2000); // registered
                    doomed.kill();
                    long t0 = System.nanoTime();
                    for (int i = 0; i < clients.size(); i++) {
                        SignalClient c = clients.get(i);
                        long left = WITHIN.toNanos() - (System.nanoTime() - t0);
                        c.next("sfu-reset", Duration.ofNanos(Math.max(1, left)));
                        JsonNode offer = c.next("offer", Duration.ofNanos(Math.max(1, WITHIN.toNanos() - (System.nanoTime() - t0))));
                        System.out.printf("[failover] hall-%d: new offer %d ms after SIGKILL%n", i + 1, (System.nanoTime() - t0) / 1_000_000);
                        assertTrue(offer.path("sdp").asText().startsWith("v=0"));
                        assertNotEquals("doomed", SfuRoomIT.redisGet(redis, RedisKeys.roomSfuWorker("hall-" + (i + 1))));
                    }
                }
            } finally {
                clients.forEach(SignalClient::close);
            }
        }
    }

    private static ServiceProcess worker(RedisServer redis, String id) {
        return ServiceProcess.start("sfu-worker", id, Map.of("wrc.redis.url", redis.url(), "wrc.sfu.worker-id", id,
                "wrc.sfu.udp-port", Integer.toString(FreePort.udp()), "wrc.sfu.bind-address", "127.0.0.1",
                "wrc.sfu.announced-address", "127.0.0.1", "wrc.sfu.heartbeat", "5s"));
    }
}
