package io.webrtccluster.signaling.topology;

import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Where a room's {@link RoomTopology} lives. Every write is a compare-and-set on the state's version:
 * of two replicas deciding the same change at once, exactly one wins and becomes the owner of that
 * change (it tells the room); the other re-reads and finds nothing left to do.
 */
public interface TopologyStore {

    /** The room's state, or null when it has none yet. */
    CompletionStage<RoomTopology> read(String roomId);

    /** Writes {@code next} if the stored version is still {@code expectedVersion} (0: no state yet). True if it did. */
    CompletionStage<Boolean> compareAndSet(String roomId, long expectedVersion, RoomTopology next);

    /** Records that a participant's target path of switch {@code epoch} decodes from everyone. */
    CompletionStage<Void> markReady(String roomId, long epoch, String participantId);

    /** Participants that reported READY for switch {@code epoch}. */
    CompletionStage<Set<String>> ready(String roomId, long epoch);
}
