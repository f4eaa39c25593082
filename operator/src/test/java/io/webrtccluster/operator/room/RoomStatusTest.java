package io.webrtccluster.operator.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.webrtccluster.operator.Fixtures;
import io.webrtccluster.operator.TestConfig;
import io.webrtccluster.operator.redis.RoomLive;
import io.webrtccluster.testing.Tiers;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

@Tag(Tiers.UNIT)
class RoomStatusTest {

    private static Deployment workers(int desired, int ready) {
        var room = Fixtures.room("r");
        Deployment d = SfuDeploymentDependent.build(room, TestConfig.defaults(), desired);
        d.getMetadata().setGeneration(1L);
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReadyReplicas(ready)
                .withUpdatedReplicas(desired).withReplicas(desired).build());
        return d;
    }

    @Test
    void readyWhenPolicyWrittenAndWorkersReady() {
        var room = Fixtures.room("r");
        var record = new RoomRecord("r", RoomRecordDependent.desired(room), new RoomLive("r", 3, "mesh"));
        var s = RoomStatusFactory.status(room, Optional.of(workers(1, 1)), Optional.of(record), Map.of(), "redis://x");
        assertEquals(3L, s.observedGeneration);
        assertEquals(3, s.participants);
        assertEquals("mesh", s.topology);
        assertEquals("True", s.conditions.get(0).getStatus());
        assertEquals("Ready", s.conditions.get(0).getReason());
    }

    @Test
    void policyNamesTheTurnPoolAsSignalingLooksItUp() {
        var room = Fixtures.room("r");
        room.getSpec().turnPool = "relays";
        assertEquals("calls/relays", RoomRecordDependent.desired(room).turnPool(), "RedisKeys.turnPool(\"<namespace>/<name>\")");
        assertEquals(3L, RoomRecordDependent.desired(room).generation());
    }

    @Test
    void notReadyWhileWorkersStart() {
        var s = RoomStatusFactory.status(Fixtures.room("r"), Optional.of(workers(2, 1)), Optional.empty(), Map.of(), "redis://x");
        assertEquals("False", s.conditions.get(0).getStatus());
        assertEquals("SfuWorkersNotReady", s.conditions.get(0).getReason());
        assertEquals("1/2 SFU workers ready", s.conditions.get(0).getMessage());
    }

    @Test
    void redisDownIsSaidAndTheTransitionTimeDoesNotFlap() {
        var room = Fixtures.room("r");
        Map<String, Exception> errors = Map.of(RoomRecordDependent.NAME,
                new JedisConnectionException("Failed to connect", new java.net.ConnectException("Connection refused")));
        var first = RoomStatusFactory.status(room, Optional.of(workers(1, 1)), Optional.empty(), errors, "redis://10.0.0.9:6379");
        var c = first.conditions.get(0);
        assertEquals("False", c.getStatus());
        assertEquals("RedisUnavailable", c.getReason());
        assertTrue(c.getMessage().contains("redis://10.0.0.9:6379") && c.getMessage().contains("Connection refused"), c.getMessage());

        room.setStatus(first);
        var second = RoomStatusFactory.status(room, Optional.of(workers(1, 1)), Optional.empty(), errors, "redis://10.0.0.9:6379");
        assertEquals(first, second, "a resync with nothing changed produces the identical status (no patch)");
    }
}
