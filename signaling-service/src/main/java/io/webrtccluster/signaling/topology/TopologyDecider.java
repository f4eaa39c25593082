package io.webrtccluster.signaling.topology;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;

/**
 * The one place that decides how a room's media flows. Fixed modes are taken as declared; AUTO stays
 * mesh up to the policy's mesh threshold. (Live switching of a running room between the two, with
 * hysteresis, is later work; today a room keeps the topology it was decided with on each join.)
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
