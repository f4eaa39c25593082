package io.webrtccluster.contracts.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RoomPolicyTest {
    @Test
    void mcuSettingsSurviveTheRedisHash() {
        RoomPolicy p = new RoomPolicy(500, 4, TopologyMode.AUTO, "edge", true, 7, 50, 5);
        assertEquals(p, RoomPolicy.fromHash(p.toHash()));
        assertEquals(new RoomPolicy(10, 2, TopologyMode.MCU, null, true, 1),
                RoomPolicy.fromHash(new RoomPolicy(10, 2, TopologyMode.MCU, null, true, 1).toHash()));
    }

    @Test
    void recordsWrittenBeforeMcuExistedNeverMixAndDefaultToThreeSpeakers() {
        RoomPolicy old = RoomPolicy.fromHash(Map.of("maxParticipants", "20", "meshThreshold", "4", "mode", "auto",
                "declared", "true", "generation", "3"));
        assertEquals(0, old.mcuThreshold());
        assertEquals(3, old.mixerSpeakers());
    }

    @Test
    void anMcuThresholdBelowTheMeshThresholdOrTooManySpeakersIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RoomPolicy(50, 10, TopologyMode.AUTO, null, true, 1, 5, 3));
        assertThrows(IllegalArgumentException.class, () -> new RoomPolicy(50, 4, TopologyMode.MCU, null, true, 1, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> new RoomPolicy(50, 4, TopologyMode.MCU, null, true, 1, 0, 0));
    }

    @Test
    void mcuIsSpelledMcuOnTheWire() {
        assertEquals("mcu", Topology.MCU.wireName());
        assertEquals(TopologyMode.MCU, TopologyMode.fromWire("mcu"));
    }
}
