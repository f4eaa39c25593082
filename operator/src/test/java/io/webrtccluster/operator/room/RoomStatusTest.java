package io.webrtccluster.operator.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.webrtccluster.operator.Fixtures;
import io.webrtccluster.operator.TestConfig;
import io.webrtccluster.operator.crd.v1alpha1.TopologySwitch;
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

    /** The state hash as signaling writes it after a mesh -> sfu switch at 5 participants that took 640 ms. */
    private static Map<String, String> switchedToSfu(String target) {
        return Map.of("topology", "sfu", "participants", "5", "epoch", "2", "target", target,
                "lastSwitchFrom", "mesh", "lastSwitchTo", "sfu", "lastSwitchAt", "1764128897123",
                "lastSwitchParticipants", "5", "lastSwitchMillis", "640");
    }

    @Test
    void lastSwitchFromTheStateHashBecomesStatusAndAnEventMessage() {
        var room = Fixtures.room("r");
        var record = new RoomRecord("r", RoomRecordDependent.desired(room), RoomLive.fromState("r", 5, switchedToSfu("")));
        var s = RoomStatusFactory.status(room, Optional.of(workers(3, 3)), Optional.of(record), Map.of(), "redis://x");
        assertEquals("sfu", s.topology);
        assertNull(s.switching, "an empty target means stable");
        assertEquals(new TopologySwitch("mesh", "sfu", "2025-11-26T03:48:17.123Z", 5, 640L), s.lastSwitch);
        assertEquals("switched to sfu at 5 participants in 640 ms", TopologySwitchedEvent.message(s.lastSwitch));
    }

    @Test
    void switchUnderWayIsShownUntilItCommits() {
        var room = Fixtures.room("r");
        var preparing = RoomStatusFactory.status(room, Optional.of(workers(3, 3)),
                Optional.of(new RoomRecord("r", null, RoomLive.fromState("r", 5, switchedToSfu("mesh")))), Map.of(), "redis://x");
        assertEquals("mesh", preparing.switching);

        room.setStatus(preparing);
        var stable = RoomStatusFactory.status(room, Optional.of(workers(3, 3)),
                Optional.of(new RoomRecord("r", null, RoomLive.fromState("r", 5, switchedToSfu("")))), Map.of(), "redis://x");
        assertNull(stable.switching);
    }

    @Test
    void lastSwitchOutlivesARedisThatLostTheRoomState() {
        var room = Fixtures.room("r");
        room.setStatus(RoomStatusFactory.status(room, Optional.of(workers(1, 1)),
                Optional.of(new RoomRecord("r", null, RoomLive.fromState("r", 5, switchedToSfu("")))), Map.of(), "redis://x"));
        var afterRestart = RoomStatusFactory.status(room, Optional.of(workers(1, 1)),
                Optional.of(new RoomRecord("r", null, RoomLive.empty("r"))), Map.of(), "redis://x");
        assertEquals(room.getStatus().lastSwitch, afterRestart.lastSwitch);
        assertNull(TopologySwitchedEvent.newSwitch(room.getStatus(), afterRestart), "nothing new to announce");
    }

    @Test
    void oneEventPerSwitchNamedAfterTheSwitchAndReferringToTheRoom() {
        var room = Fixtures.room("r");
        room.getMetadata().setUid("6f1c0d3e-0000-4000-8000-000000000001");
        var shown = RoomStatusFactory.status(room, Optional.empty(),
                Optional.of(new RoomRecord("r", null, RoomLive.fromState("r", 5, switchedToSfu("")))), Map.of(), "redis://x");

        TopologySwitch fresh = TopologySwitchedEvent.newSwitch(room.getStatus(), shown);
        assertEquals(shown.lastSwitch, fresh, "a Room whose status shows no switch yet gets the Event");
        room.setStatus(shown);
        assertNull(TopologySwitchedEvent.newSwitch(room.getStatus(), shown), "the status already shows it: no second Event");

        var e = TopologySwitchedEvent.build(room, fresh, "operator-0");
        assertEquals("r.switch-1764128897123", e.getMetadata().getName(), "the same switch always gets the same name");
        assertEquals("calls", e.getMetadata().getNamespace());
        assertEquals("Room", e.getInvolvedObject().getKind());
        assertEquals("webrtc-cluster.io/v1alpha1", e.getInvolvedObject().getApiVersion());
        assertEquals("r", e.getInvolvedObject().getName());
        assertEquals("calls", e.getInvolvedObject().getNamespace());
        assertEquals("6f1c0d3e-0000-4000-8000-000000000001", e.getInvolvedObject().getUid());
        assertEquals("Normal", e.getType());
        assertEquals("TopologySwitched", e.getReason());
        assertEquals("2025-11-26T03:48:17Z", e.getFirstTimestamp());
        assertEquals("operator-0", e.getReportingInstance());
    }

    @Test
    void policyNamesTheTurnPoolAsSignalingLooksItUp() {
        var room = Fixtures.room("r");
        room.getSpec().turnPool = "relays";
        assertEquals("calls/relays", RoomRecordDependent.desired(room).turnPool(), "RedisKeys.turnPool(\"<namespace>/<name>\")");
        assertEquals(3L, RoomRecordDependent.desired(room).generation());
    }

    @Test
    void hysteresisReachesThePolicy() {
        var room = Fixtures.room("r");
        assertEquals(10, RoomRecordDependent.desired(room).hysteresisSeconds(), "the CRD's default");
        room.getSpec().hysteresisSeconds = 0;
        assertEquals(0, RoomRecordDependent.desired(room).hysteresisSeconds());
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
