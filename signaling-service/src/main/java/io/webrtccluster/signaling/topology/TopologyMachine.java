package io.webrtccluster.signaling.topology;

import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.topology.Transition.Action;

/**
 * The per-room topology state machine, pure: given the room's state and what was observed, the next
 * state and what to tell the room. The rules:
 * <ul>
 *   <li>Up: an auto room above its mesh threshold prepares the SFU at once (a join storm prepares once:
 *       later joins land in the switch already under way).</li>
 *   <li>Down: a room on the SFU at or below the threshold for the hysteresis period prepares mesh; any
 *       join back above the threshold cancels the wait (and aborts a mesh switch under way).</li>
 *   <li>A switch commits when every member reported READY. At the deadline a switch to the SFU commits
 *       anyway (the SFU is the path that scales; late clients keep connecting to it), a switch to mesh
 *       aborts (the SFU keeps working; mesh is retried after another hysteresis period). A FAILED
 *       report aborts.</li>
 *   <li>No SFU capacity: the room stays mesh and is told once (HELD) until something changes.</li>
 *   <li>Fixed modes move to their topology at once and never switch back.</li>
 * </ul>
 */
public final class TopologyMachine {
    private TopologyMachine() {
    }

    public static Transition next(RoomTopology s, Observation o) {
        if (o.participants() == 0) {
            return Transition.none(s); // an empty room starts over at its next first join
        }
        Topology desired = live(TopologyDecider.decide(o.policy(), o.participants()), o.policy());
        return s.preparing() ? whilePreparing(s, o, desired) : whileStable(s, o, desired);
    }

    /**
     * What a running auto room may switch to: mesh and SFU. Moving a live room between SFU and MCU (a
     * different transport on the worker) is not built, so past the MCU threshold it stays on the SFU.
     */
    static Topology live(Topology desired, io.webrtccluster.contracts.room.RoomPolicy policy) {
        return desired == Topology.MCU && policy.mode() == TopologyMode.AUTO ? Topology.SFU : desired;
    }

    private static Transition whileStable(RoomTopology s, Observation o, Topology desired) {
        if (desired == s.current()) {
            return changed(s, s.withBelowSince(0).withHeldSince(0), Action.RECORD);
        }
        boolean auto = o.policy().mode() == TopologyMode.AUTO;
        if (desired == Topology.MESH && auto) {
            if (s.belowSince() == 0) {
                return changed(s, s.withBelowSince(o.now()), Action.RECORD);
            }
            if (o.now() - s.belowSince() < o.policy().hysteresisSeconds() * 1000L) {
                return Transition.none(s);
            }
        }
        if (desired != Topology.MESH && !o.sfuAvailable()) {
            return s.heldSince() != 0 ? Transition.none(s) : new Transition(s.withHeldSince(o.now()), Action.HELD);
        }
        if (desired != Topology.MESH && s.heldSince() != 0 && o.event() == TopologyEvent.TICK
                && o.now() - s.heldSince() < o.prepareTimeoutMillis()) {
            return Transition.none(s); // a switch that just failed is not retried on every tick
        }
        return new Transition(s.prepare(desired, o.now(), o.prepareTimeoutMillis()), Action.PREPARE);
    }

    private static Transition whilePreparing(RoomTopology s, Observation o, Topology desired) {
        if (o.event() == TopologyEvent.FAILED) {
            return new Transition(s.abort(o.now()), Action.ABORT);
        }
        if (s.target() == Topology.MESH && desired != Topology.MESH) {
            return new Transition(s.abort(o.now()), Action.ABORT); // grew back past the threshold: stay on the SFU
        }
        if (o.allReady()) {
            return new Transition(s.commit(o.now(), o.participants()), Action.COMMIT);
        }
        if (o.now() >= s.deadline()) {
            return s.target() == Topology.MESH ? new Transition(s.abort(o.now()), Action.ABORT)
                    : new Transition(s.commit(o.now(), o.participants()), Action.COMMIT);
        }
        return Transition.none(s);
    }

    private static Transition changed(RoomTopology from, RoomTopology to, Action action) {
        return from.sameAs(to) ? Transition.none(from) : new Transition(to, action);
    }
}
