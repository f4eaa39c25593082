package io.webrtccluster.signaling.unit;

import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.topology.Observation;
import io.webrtccluster.signaling.topology.RoomTopology;
import io.webrtccluster.signaling.topology.TopologyEvent;
import io.webrtccluster.signaling.topology.TopologyMachine;
import io.webrtccluster.signaling.topology.Transition;
import io.webrtccluster.signaling.topology.Transition.Action;
import io.webrtccluster.testing.Tiers;

import static io.webrtccluster.contracts.room.Topology.MCU;
import static io.webrtccluster.contracts.room.Topology.MESH;
import static io.webrtccluster.contracts.room.Topology.SFU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The per-room topology state machine: threshold 2, hysteresis 10 s, prepare timeout 8 s. */
@Tag(Tiers.UNIT)
class TopologyMachineTest {
    static final RoomPolicy AUTO = new RoomPolicy(50, 2, TopologyMode.AUTO, null, false, 0, 10);
    static final RoomPolicy TOWN_HALL = new RoomPolicy(50, 2, TopologyMode.AUTO, null, true, 1, 10, 4, 3);
    static final long T0 = 1_000_000;

    static RoomTopology stable(Topology t) {
        return RoomTopology.initial(t);
    }

    static RoomTopology preparing(Topology from, Topology to) {
        return new RoomTopology(from, 3, to, T0 + 8000, T0, 0, 0, null, 7);
    }

    static RoomTopology below(long since) {
        return belowOn(SFU, since);
    }

    static RoomTopology belowOn(Topology current, long since) {
        return new RoomTopology(current, 3, null, 0, 0, since, 0, null, 7);
    }

    static Observation seen(RoomPolicy p, int n, long now, TopologyEvent e) {
        return new Observation(p, n, false, true, now, e, 8000);
    }

    static Stream<Arguments> table() {
        RoomPolicy fixedSfu = new RoomPolicy(50, 2, TopologyMode.SFU, null, true, 1, 10);
        RoomPolicy fixedMesh = new RoomPolicy(50, 2, TopologyMode.MESH, null, true, 1, 10);
        RoomPolicy fixedMcu = new RoomPolicy(50, 2, TopologyMode.MCU, null, true, 1, 10, 0, 3);
        return Stream.of(
                // name, state, observation, expected action, expected current, expected target
                Arguments.of("2 in mesh at threshold: stays", stable(MESH), seen(AUTO, 2, T0, TopologyEvent.JOIN), Action.NONE, MESH, null),
                Arguments.of("3rd joins: up to SFU at once", stable(MESH), seen(AUTO, 3, T0, TopologyEvent.JOIN), Action.PREPARE, MESH, SFU),
                Arguments.of("join storm: later joins land in the same switch", preparing(MESH, SFU), seen(AUTO, 6, T0 + 300, TopologyEvent.JOIN), Action.NONE, MESH, SFU),
                Arguments.of("all ready: commit", preparing(MESH, SFU), new Observation(AUTO, 3, true, true, T0 + 700, TopologyEvent.READY, 8000), Action.COMMIT, SFU, null),
                Arguments.of("up-switch deadline: commit anyway", preparing(MESH, SFU), seen(AUTO, 3, T0 + 8000, TopologyEvent.TICK), Action.COMMIT, SFU, null),
                Arguments.of("up-switch failed: abort, stay mesh", preparing(MESH, SFU), seen(AUTO, 3, T0 + 500, TopologyEvent.FAILED), Action.ABORT, MESH, null),
                Arguments.of("leave to threshold on SFU: hysteresis starts", stable(SFU), seen(AUTO, 2, T0, TopologyEvent.LEAVE), Action.RECORD, SFU, null),
                Arguments.of("within hysteresis: wait", below(T0), seen(AUTO, 2, T0 + 9999, TopologyEvent.TICK), Action.NONE, SFU, null),
                Arguments.of("hysteresis over: down to mesh", below(T0), seen(AUTO, 2, T0 + 10_000, TopologyEvent.TICK), Action.PREPARE, SFU, MESH),
                Arguments.of("a join cancels the hysteresis", below(T0), seen(AUTO, 3, T0 + 5000, TopologyEvent.JOIN), Action.RECORD, SFU, null),
                Arguments.of("join past threshold during down-switch: abort, stay SFU", preparing(SFU, MESH), seen(AUTO, 3, T0 + 500, TopologyEvent.JOIN), Action.ABORT, SFU, null),
                Arguments.of("down-switch deadline: abort, stay SFU", preparing(SFU, MESH), seen(AUTO, 2, T0 + 8000, TopologyEvent.TICK), Action.ABORT, SFU, null),
                Arguments.of("down-switch all ready: commit", preparing(SFU, MESH), new Observation(AUTO, 2, true, true, T0 + 900, TopologyEvent.READY, 8000), Action.COMMIT, MESH, null),
                Arguments.of("leavers during up-switch: it still completes", preparing(MESH, SFU), new Observation(AUTO, 1, true, true, T0 + 900, TopologyEvent.LEAVE, 8000), Action.COMMIT, SFU, null),
                Arguments.of("fixed sfu never goes down", stable(SFU), seen(fixedSfu, 1, T0, TopologyEvent.LEAVE), Action.NONE, SFU, null),
                Arguments.of("fixed mesh never goes up", stable(MESH), seen(fixedMesh, 40, T0, TopologyEvent.JOIN), Action.NONE, MESH, null),
                Arguments.of("policy changed to fixed mesh: down without hysteresis", stable(SFU), seen(fixedMesh, 5, T0, TopologyEvent.TICK), Action.PREPARE, SFU, MESH),
                Arguments.of("empty room: nothing to decide", stable(SFU), seen(AUTO, 0, T0, TopologyEvent.LEAVE), Action.NONE, SFU, null),
                // auto with an MCU threshold of 4: mesh <= 2 < SFU <= 4 < MCU
                Arguments.of("past the MCU threshold on the SFU: up to MCU at once", stable(SFU), seen(TOWN_HALL, 5, T0, TopologyEvent.JOIN), Action.PREPARE, SFU, MCU),
                Arguments.of("mesh past the MCU threshold: the SFU first, one step at a time", stable(MESH), seen(TOWN_HALL, 6, T0, TopologyEvent.JOIN), Action.PREPARE, MESH, SFU),
                Arguments.of("SFU to MCU, all ready: commit", preparing(SFU, MCU), new Observation(TOWN_HALL, 5, true, true, T0 + 400, TopologyEvent.READY, 8000), Action.COMMIT, MCU, null),
                Arguments.of("SFU to MCU deadline: commit anyway", preparing(SFU, MCU), seen(TOWN_HALL, 5, T0 + 8000, TopologyEvent.TICK), Action.COMMIT, MCU, null),
                Arguments.of("back to the MCU threshold: hysteresis starts", stable(MCU), seen(TOWN_HALL, 4, T0, TopologyEvent.LEAVE), Action.RECORD, MCU, null),
                Arguments.of("MCU within hysteresis: wait", belowOn(MCU, T0), seen(TOWN_HALL, 4, T0 + 9999, TopologyEvent.TICK), Action.NONE, MCU, null),
                Arguments.of("MCU hysteresis over: down to SFU", belowOn(MCU, T0), seen(TOWN_HALL, 4, T0 + 10_000, TopologyEvent.TICK), Action.PREPARE, MCU, SFU),
                Arguments.of("MCU emptied to 2 at once: down to SFU first", belowOn(MCU, T0), seen(TOWN_HALL, 2, T0 + 10_000, TopologyEvent.TICK), Action.PREPARE, MCU, SFU),
                Arguments.of("a join past the MCU threshold during MCU to SFU: abort, stay MCU", preparing(MCU, SFU), seen(TOWN_HALL, 5, T0 + 300, TopologyEvent.JOIN), Action.ABORT, MCU, null),
                Arguments.of("MCU to SFU deadline: abort, stay MCU", preparing(MCU, SFU), seen(TOWN_HALL, 4, T0 + 8000, TopologyEvent.TICK), Action.ABORT, MCU, null),
                Arguments.of("SFU on its way down to mesh grows past MCU: abort, stay SFU", preparing(SFU, MESH), seen(TOWN_HALL, 5, T0 + 300, TopologyEvent.JOIN), Action.ABORT, SFU, null),
                Arguments.of("fixed MCU: straight there", stable(MESH), seen(fixedMcu, 1, T0, TopologyEvent.JOIN), Action.PREPARE, MESH, MCU));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decides(String name, RoomTopology state, Observation seen, Action action, Topology current, Topology target) {
        Transition t = TopologyMachine.next(state, seen);
        assertEquals(action, t.action(), name);
        assertEquals(current, t.next().current(), name);
        assertEquals(target, t.next().target(), name);
    }

    @Test
    void everySwitchHasANewEpochSoStaleMessagesCanBeDropped() {
        Transition up = TopologyMachine.next(stable(MESH), seen(AUTO, 3, T0, TopologyEvent.JOIN));
        assertEquals(1, up.next().epoch());
        Transition commit = TopologyMachine.next(up.next(), new Observation(AUTO, 3, true, true, T0 + 640, TopologyEvent.READY, 8000));
        assertEquals(1, commit.next().epoch(), "commit keeps the switch's epoch");
        assertEquals(640, commit.next().lastSwitch().durationMillis());
        assertEquals(3, commit.next().lastSwitch().participants());
        Transition startWait = TopologyMachine.next(commit.next(), seen(AUTO, 2, T0 + 10_000, TopologyEvent.LEAVE));
        Transition down = TopologyMachine.next(startWait.next(), seen(AUTO, 2, T0 + 20_000, TopologyEvent.TICK));
        assertEquals(Action.PREPARE, down.action());
        assertEquals(2, down.next().epoch());
    }

    @Test
    void noSfuCapacityHoldsTheRoomOnMeshAndSaysSoOnce() {
        Observation noSfu = new Observation(AUTO, 3, false, false, T0, TopologyEvent.JOIN, 8000);
        Transition held = TopologyMachine.next(stable(MESH), noSfu);
        assertEquals(Action.HELD, held.action());
        assertEquals(MESH, held.next().current());
        assertNull(held.next().target());
        Transition again = TopologyMachine.next(held.next(), new Observation(AUTO, 4, false, false, T0 + 100, TopologyEvent.JOIN, 8000));
        assertEquals(Action.NONE, again.action(), "told once, not on every join");
        Transition capacity = TopologyMachine.next(held.next(), new Observation(AUTO, 4, false, true, T0 + 9000, TopologyEvent.TICK, 8000));
        assertEquals(Action.PREPARE, capacity.action(), "a worker appeared: the switch starts");
    }

    @Test
    void theStateSurvivesItsRedisHash() {
        RoomTopology s = new RoomTopology(SFU, 4, MESH, T0 + 8000, T0, 0, 0,
                new RoomTopology.Switch(MESH, SFU, T0 - 5000, 3, 640), 9);
        assertEquals(s, RoomTopology.fromHash(withVersion(s.toHash(), 9)));
        assertNull(RoomTopology.fromHash(java.util.Map.of()));
    }

    private static java.util.Map<String, String> withVersion(java.util.Map<String, String> h, long v) {
        java.util.Map<String, String> m = new java.util.HashMap<>(h);
        m.put("version", Long.toString(v));
        return m;
    }
}
