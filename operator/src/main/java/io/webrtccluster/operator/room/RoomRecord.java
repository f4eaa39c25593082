package io.webrtccluster.operator.room;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.operator.redis.RoomLive;
import java.util.Objects;

/**
 * A room as Redis holds it: the policy the operator wrote (null when absent) and what signaling reports live.
 * The Room's external secondary resource. A class, not a record: the SDK's build step walks the superclass chain
 * of secondary resource types through the Jandex index, which does not contain java.lang.Record.
 */
public final class RoomRecord {
    private final String roomId;
    private final RoomPolicy policy;
    private final RoomLive live;

    public RoomRecord(String roomId, RoomPolicy policy, RoomLive live) {
        this.roomId = roomId;
        this.policy = policy;
        this.live = live;
    }

    public String roomId() {
        return roomId;
    }

    public RoomPolicy policy() {
        return policy;
    }

    public RoomLive live() {
        return live;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoomRecord r && roomId.equals(r.roomId) && Objects.equals(policy, r.policy) && Objects.equals(live, r.live);
    }

    @Override
    public int hashCode() {
        return Objects.hash(roomId, policy, live);
    }

    @Override
    public String toString() {
        return "RoomRecord[" + roomId + ", " + policy + ", " + live + "]";
    }
}
