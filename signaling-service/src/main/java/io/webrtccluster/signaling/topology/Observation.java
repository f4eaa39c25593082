package io.webrtccluster.signaling.topology;

import io.webrtccluster.contracts.room.RoomPolicy;

/**
 * What the state machine decides on: the room's policy and live count, whether every member reported
 * the target path ready, whether an SFU worker can take the room, the clock and the trigger.
 */
public record Observation(RoomPolicy policy, int participants, boolean allReady, boolean sfuAvailable, long now,
                          TopologyEvent event, long prepareTimeoutMillis) {
}
