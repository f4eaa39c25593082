package io.webrtccluster.signaling.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import io.webrtccluster.contracts.store.Inbox;

/** The single-replica relay: inboxes and attachments in this process, same semantics as the Redis one. */
public class InMemoryRelay implements Relay {
    private final Map<String, Deque<Delivery>> inboxes = new HashMap<>();
    private final Map<String, AttachmentState> attached = new HashMap<>();
    private final Predicate<String[]> isMember;
    private long counter;

    /** @param isMember tells whether {roomId, participantId} is currently a member */
    public InMemoryRelay(Predicate<String[]> isMember) {
        this.isMember = isMember;
    }

    @Override
    public CompletionStage<String> deliver(String roomId, String participantId, String json) {
        Delivery d;
        AttachmentState target;
        synchronized (this) {
            d = new Delivery(System.currentTimeMillis() + "-" + (++counter), json);
            Deque<Delivery> inbox = inboxes.computeIfAbsent(key(roomId, participantId), k -> new ArrayDeque<>());
            inbox.addLast(d);
            while (inbox.size() > Inbox.MAX_LENGTH) {
                inbox.removeFirst();
            }
            target = attached.get(key(roomId, participantId));
        }
        if (target != null) {
            target.live(d);
        }
        return CompletableFuture.completedFuture(d.seq());
    }

    @Override
    public CompletionStage<String> deliverToMember(String roomId, String participantId, String json) {
        if (!isMember.test(new String[] {roomId, participantId})) {
            return CompletableFuture.completedFuture(null);
        }
        return deliver(roomId, participantId, json);
    }

    @Override
    public synchronized CompletionStage<Void> clearInbox(String roomId, String participantId) {
        inboxes.remove(key(roomId, participantId));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Attachment> attach(String roomId, String participantId, String afterSeq, Sink sink) {
        String k = key(roomId, participantId);
        AttachmentState[] self = new AttachmentState[1];
        self[0] = new AttachmentState(roomId, participantId, UUID.randomUUID().toString(), afterSeq, sink, () -> {
            synchronized (this) {
                attached.remove(k, self[0]);
            }
        });
        AttachmentState previous;
        List<Delivery> backlog;
        synchronized (this) {
            previous = attached.put(k, self[0]);
            backlog = new ArrayList<>(inboxes.getOrDefault(k, new ArrayDeque<>()));
        }
        if (previous != null) {
            previous.detach();
            previous.sink.takenOver();
        }
        self[0].replayed(backlog);
        return CompletableFuture.completedFuture(self[0]);
    }

    private static String key(String roomId, String participantId) {
        return roomId + "\u0000" + participantId;
    }
}
