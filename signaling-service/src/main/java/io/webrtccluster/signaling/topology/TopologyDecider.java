package io.webrtccluster.signaling.topology;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;

/**
 * How a room's media should flow for a participant count: fixed modes as declared; AUTO is mesh up
 * to the mesh threshold, SFU above it, MCU above the MCU threshold (when the policy sets one).
 * TopologyMachine decides when, and through which steps, a running room actually moves.
 */
public final class TopologyDecider {
    private TopologyDecider() {
    }

    public static Topology decide(RoomPolicy policy, int participants) {
        return switch (policy.mode()) {
            case MESH -> Topology.MESH;
            case SFU -> Topology.SFU;
            case MCU -> Topology.MCU;
            case AUTO -> participants <= policy.meshThreshold() ? Topology.MESH
                    : policy.mcuThreshold() > 0 && participants > policy.mcuThreshold() ? Topology.MCU : Topology.SFU;
        };
    }
}
