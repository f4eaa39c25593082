package io.webrtccluster.signaling.relay;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Moves messages to participants wherever their socket is. Delivery is at-least-once in order per
 * participant: every message lands in the participant's inbox first, and an attachment replays the
 * inbox from the last sequence id the client saw.
 */
public interface Relay {

    /** Delivers unconditionally (server events: participant-joined/left, ...). Completes with the sequence id. */
    CompletionStage<String> deliver(String roomId, String participantId, String json);

    /** {@link #deliver} to each participant; completes when every delivery has (exceptionally if one failed). */
    default CompletionStage<Void> deliverToAll(String roomId, Collection<String> participantIds, String json) {
        CompletableFuture<?>[] all = participantIds.stream()
                .map(id -> deliver(roomId, id, json).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(all);
    }

    /**
     * Delivers peer-to-peer signaling only if {@code participantId} is a member of the room right now.
     * Completes with the sequence id, or null when the addressee is not in the room.
     */
    CompletionStage<String> deliverToMember(String roomId, String participantId, String json);

    /** Forgets an inbox (a fresh session starts with an empty one). */
    CompletionStage<Void> clearInbox(String roomId, String participantId);

    /**
     * Starts delivering the participant's messages to {@code sink}: first whatever the inbox holds
     * after {@code afterSeq} (null: all of it), then live ones, without gaps or duplicates. Any other
     * attachment of the same participant, on any replica, is told to let go ({@link Sink#takenOver()}).
     */
    CompletionStage<Attachment> attach(String roomId, String participantId, String afterSeq, Sink sink);

    interface Sink {
        void deliver(Delivery delivery);

        /** The participant attached somewhere else (a resume or a second tab); this socket should close. */
        void takenOver();
    }

    interface Attachment {
        /** Stops delivery to this sink. */
        void detach();
    }
}
