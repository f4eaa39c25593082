package io.webrtccluster.signaling.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.testing.RedisServer;
import io.webrtccluster.testing.ServiceProcess;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replica: 1,024 file descriptors and a client flooding it with idle sockets from many
 * addresses. The replica refuses sockets past its derived cap (1,024 - 256) and keeps answering its
 * health probes, which used to stop when the descriptors ran out.
 */
@Tag(Tiers.REDIS)
class DescriptorLimitIT {

    @Test
    void aReplicaWithOneThousandDescriptorsStaysHealthyUnderASocketFlood() throws Exception {
        try (RedisServer redis = RedisServer.start();
             ServiceProcess signaling = ServiceProcess.start("signaling-service", "signaling-1024-fds", Map.of(
                     "wrc.redis.url", redis.url(), "wrc.auth.dev-tokens", "true", "wrc.limits.join-timeout", "60s"),
                     List.of("prlimit", "--nofile=1024:1024", "--"))) {
            assertTrue(signaling.process().logText().contains("at most 768 per replica"), signaling.process().logText());
            List<RawSocket> held = new ArrayList<>();
            int refused = 0;
            try {
                for (int i = 0; i < 1000; i++) {
                    try {
                        held.add(RawSocket.connect(signaling.wsUrl("/v1/signal"), false, "127.0.2." + (1 + i / 90)));
                    } catch (IllegalStateException e) {
                        assertTrue(e.getMessage().contains("503"), e.getMessage());
                        refused++;
                    }
                }
                assertTrue(held.size() <= 768 && held.size() > 700, held.size() + " admitted");
                assertTrue(refused >= 232, refused + " refused");
                HostileClientsIT.assertHealthyWithinOneSecond(signaling);
            } finally {
                held.forEach(RawSocket::close);
            }
            // Once the flood lets go, a real user joins again.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
                try (RawSocket s = FrameLimitsIT.joinedOn(signaling, "after-flood", "alice")) {
                    return true;
                }
            });
        }
    }
}
