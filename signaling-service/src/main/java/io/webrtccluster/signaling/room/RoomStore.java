package io.webrtccluster.signaling.room;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.webrtccluster.contracts.room.RoomPolicy;

/**
 * Room membership, presence and sessions. One implementation keeps them in Redis (any replica can
 * serve any participant), one in process (single replica, for the local run).
 */
public interface RoomStore {

    /** The declared policy, or the defaults for an ad hoc room. */
    CompletionStage<RoomPolicy> policy(String roomId);

    /**
     * Admits a member atomically against the policy's capacity. An identity already in the room is
     * re-admitted even when the room is full (it replaces its old session).
     */
    CompletionStage<JoinOutcome> join(String roomId, Member member, RoomPolicy policy);

    /** Removes the member only if {@code sessionId} still holds it, so a stale replica cannot remove a newer session. Returns whether it did. */
    CompletionStage<Boolean> leave(String roomId, String participantId, String sessionId);

    CompletionStage<List<Member>> members(String roomId);

    /** The session a reconnecting client names, if it is still known. */
    CompletionStage<Optional<SessionRecord>> session(String sessionId);

    /**
     * Refreshes presence of members held by this replica and re-creates their records if they are
     * missing (after a Redis restart), so rooms recover without clients noticing.
     */
    CompletionStage<Void> heartbeat(Collection<SessionRecord> local);

    /** Rooms that currently have members. */
    CompletionStage<List<String>> activeRooms();

    /** Removes and returns members whose presence is older than {@code cutoffMillis}. */
    CompletionStage<List<Member>> reapExpired(String roomId, long cutoffMillis);

    /** Records the room's live participant count for the operator, and announces the change. */
    CompletionStage<Void> publishParticipants(String roomId, int participants);

    /** A lease so only one replica reaps at a time; true if this replica holds it now. */
    CompletionStage<Boolean> holdReaperLease(String replicaId, long ttlMillis);

    /** Whether the store can serve requests now (readiness). */
    CompletionStage<Boolean> ping();
}
