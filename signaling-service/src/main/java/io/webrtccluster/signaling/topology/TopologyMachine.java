package io.webrtccluster.signaling.topology;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.topology.Transition.Action;

/**
 * The per-room topology state machine, pure: given the room's state and what was observed, the next
 * state and what to tell the room. Topologies rank mesh &lt; SFU &lt; MCU. The rules:
 * <ul>
 *   <li>Up: an auto room past a threshold prepares the next topology up at once (a join storm prepares once:
 *       later joins land in the switch already under way). An auto room moves one step at a time: mesh to
 *       MCU goes through the SFU (the same worker transport then only changes how audio is routed).</li>
 *   <li>Down: a room at or below a threshold for the hysteresis period prepares the next topology down;
 *       any join back above it cancels the wait (and aborts a down-switch under way).</li>
 *   <li>A switch commits when every member reported READY. At the deadline a switch up commits anyway
 *       (it is the topology that scales; late clients keep connecting to it), a switch down aborts (the
 *       current topology keeps working; down is retried after another hysteresis period). A FAILED
 *       report aborts.</li>
 *   <li>No worker capacity: the room stays mesh and is told once (HELD) until something changes.</li>
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
        Topology decided = TopologyDecider.decide(o.policy(), o.participants());
        return s.preparing() ? whilePreparing(s, o, decided) : whileStable(s, o, live(s.current(), decided, o.policy()));
    }

    /** Whether moving from {@code from} to {@code to} is a move down (toward mesh). */
    static boolean down(Topology from, Topology to) {
        return to.ordinal() < from.ordinal(); // MESH, SFU, MCU: declared in rank order
    }

    /** Where a running auto room goes next on its way to {@code desired}: one step at a time (fixed modes go at once). */
    static Topology live(Topology current, Topology desired, RoomPolicy policy) {
        if (policy.mode() != TopologyMode.AUTO || Math.abs(desired.ordinal() - current.ordinal()) < 2) {
            return desired;
        }
        return Topology.SFU;
    }

    private static Transition whileStable(RoomTopology s, Observation o, Topology desired) {
        if (desired == s.current()) {
            return changed(s, s.withBelowSince(0).withHeldSince(0), Action.RECORD);
        }
        boolean auto = o.policy().mode() == TopologyMode.AUTO;
        if (auto && down(s.current(), desired)) {
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
        boolean goingDown = down(s.current(), s.target());
        if (goingDown && !down(s.current(), desired)) {
            return new Transition(s.abort(o.now()), Action.ABORT); // grew back past the threshold: stay where it is
        }
        if (o.allReady()) {
            return new Transition(s.commit(o.now(), o.participants()), Action.COMMIT);
        }
        if (o.now() >= s.deadline()) {
            return goingDown ? new Transition(s.abort(o.now()), Action.ABORT)
                    : new Transition(s.commit(o.now(), o.participants()), Action.COMMIT);
        }
        return Transition.none(s);
    }

    private static Transition changed(RoomTopology from, RoomTopology to, Action action) {
        return from.sameAs(to) ? Transition.none(from) : new Transition(to, action);
    }
}
