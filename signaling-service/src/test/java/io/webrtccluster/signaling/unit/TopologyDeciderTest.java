package io.webrtccluster.signaling.unit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.topology.TopologyDecider;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Tag(Tiers.UNIT)
class TopologyDeciderTest {

    @Test
    void fixedModesAreTakenAsDeclared() {
        assertEquals(Topology.MESH, TopologyDecider.decide(policy(TopologyMode.MESH, 4), 40));
        assertEquals(Topology.SFU, TopologyDecider.decide(policy(TopologyMode.SFU, 4), 1));
    }

    @Test
    void autoStaysMeshUpToTheThresholdAndMovesToSfuPastIt() {
        assertEquals(Topology.MESH, TopologyDecider.decide(policy(TopologyMode.AUTO, 4), 4));
        assertEquals(Topology.SFU, TopologyDecider.decide(policy(TopologyMode.AUTO, 4), 5));
    }

    @Test
    void mcuModeMixesFromTheStartAndAutoMixesOnlyPastTheMcuThreshold() {
        assertEquals(Topology.MCU, TopologyDecider.decide(policy(TopologyMode.MCU, 4), 1));
        RoomPolicy townHall = new RoomPolicy(500, 4, TopologyMode.AUTO, null, true, 1, 50, 3);
        assertEquals(Topology.MESH, TopologyDecider.decide(townHall, 4));
        assertEquals(Topology.SFU, TopologyDecider.decide(townHall, 50));
        assertEquals(Topology.MCU, TopologyDecider.decide(townHall, 51));
        assertEquals(Topology.SFU, TopologyDecider.decide(policy(TopologyMode.AUTO, 4), 400), "mcuThreshold 0 never mixes");
    }

    private static RoomPolicy policy(TopologyMode mode, int threshold) {
        return new RoomPolicy(50, threshold, mode, null, true, 1);
    }
}
