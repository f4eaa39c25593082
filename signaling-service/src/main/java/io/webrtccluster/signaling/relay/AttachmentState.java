package io.webrtccluster.signaling.relay;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders one participant's deliveries: live messages that arrive while the inbox is being replayed
 * are held back, then everything goes out in sequence order exactly once (by sequence id).
 */
final class AttachmentState implements Relay.Attachment {
    final String roomId;
    final String participantId;
    final String attachId;
    final Relay.Sink sink;
    private final Runnable onDetach;
    private String lastDelivered;
    private boolean replaying = true;
    private boolean detached;
    private final List<Delivery> heldBack = new ArrayList<>();

    AttachmentState(String roomId, String participantId, String attachId, String afterSeq, Relay.Sink sink, Runnable onDetach) {
        this.roomId = roomId;
        this.participantId = participantId;
        this.attachId = attachId;
        this.sink = sink;
        this.lastDelivered = afterSeq;
        this.onDetach = onDetach;
    }

    synchronized String lastDelivered() {
        return lastDelivered;
    }

    synchronized void live(Delivery d) {
        if (detached) {
            return;
        }
        if (replaying) {
            heldBack.add(d);
        } else {
            emit(d);
        }
    }

    /** Replay results (in order); ends the replay phase and releases what was held back. */
    synchronized void replayed(List<Delivery> fromInbox) {
        fromInbox.forEach(this::emit);
        heldBack.sort((a, b) -> Seq.compare(a.seq(), b.seq()));
        heldBack.forEach(this::emit);
        heldBack.clear();
        replaying = false;
    }

    /** Starts another replay (after the bus reconnected) so nothing published during the outage is lost. */
    synchronized void beginCatchUp() {
        replaying = true;
    }

    private void emit(Delivery d) {
        if (detached || (lastDelivered != null && Seq.compare(d.seq(), lastDelivered) <= 0)) {
            return;
        }
        lastDelivered = d.seq();
        sink.deliver(d);
    }

    synchronized boolean isDetached() {
        return detached;
    }

    @Override
    public void detach() {
        synchronized (this) {
            if (detached) {
                return;
            }
            detached = true;
        }
        onDetach.run();
    }
}
