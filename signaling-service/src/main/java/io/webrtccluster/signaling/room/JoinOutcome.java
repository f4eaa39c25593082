package io.webrtccluster.signaling.room;

import java.util.List;

import io.webrtccluster.contracts.room.RoomPolicy;

/**
 * Result of an admission attempt.
 *
 * @param admitted      false when the room is full
 * @param replaced      the previous holder of this identity, if a different session held it (it gets kicked)
 * @param others        everyone else in the room after the join
 * @param policy        the policy the admission was decided under
 */
public record JoinOutcome(boolean admitted, Member replaced, List<Member> others, RoomPolicy policy) {
    public int participants() {
        return others.size() + (admitted ? 1 : 0);
    }
}
