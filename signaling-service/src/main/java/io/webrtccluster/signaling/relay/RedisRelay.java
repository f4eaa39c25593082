package io.webrtccluster.signaling.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.logging.Logger;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.webrtccluster.contracts.store.Inbox;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.signaling.redis.RedisBackplane;

/**
 * Relay through Redis: a stream per participant (the inbox, for replay) plus a pub/sub channel per
 * participant (to wake the replica holding the socket). Streams rather than pub/sub alone because a
 * replica dying mid-offer must not lose the offer: the client resumes elsewhere and replays.
 */
public class RedisRelay implements Relay {
    private static final Logger LOG = Logger.getLogger(RedisRelay.class);

    /** Delivers only to a current member: membership check and delivery in one round trip. */
    static final String DELIVER_TO_MEMBER_SCRIPT = """
            if redis.call('HEXISTS', KEYS[3], ARGV[4]) == 0 then return false end
            """ + Inbox.DELIVER_SCRIPT;

    /** Control payloads on a participant channel start with this instead of a stream id. */
    private static final String TAKEOVER = "takeover";

    private final RedisBackplane redis;
    private final Map<String, AttachmentState> attachedByChannel = new ConcurrentHashMap<>();

    public RedisRelay(RedisBackplane redis) {
        this.redis = redis;
        redis.onMessage(this::onChannelMessage);
        redis.onReconnect(this::catchUpAll);
    }

    @Override
    public CompletionStage<String> deliver(String roomId, String participantId, String json) {
        return redis.eval(Inbox.DELIVER_SCRIPT,
                List.of(RedisKeys.inbox(roomId, participantId), RedisKeys.participantChannel(roomId, participantId)),
                List.of(json, Integer.toString(Inbox.MAX_LENGTH), Integer.toString(Inbox.TTL_SECONDS)))
                .thenApply(Response::toString);
    }

    @Override
    public CompletionStage<String> deliverToMember(String roomId, String participantId, String json) {
        return redis.eval(DELIVER_TO_MEMBER_SCRIPT,
                List.of(RedisKeys.inbox(roomId, participantId), RedisKeys.participantChannel(roomId, participantId),
                        RedisKeys.roomMembers(roomId)),
                List.of(json, Integer.toString(Inbox.MAX_LENGTH), Integer.toString(Inbox.TTL_SECONDS), participantId))
                .thenApply(r -> r == null ? null : r.toString());
    }

    @Override
    public CompletionStage<Void> clearInbox(String roomId, String participantId) {
        return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.inbox(roomId, participantId))).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Attachment> attach(String roomId, String participantId, String afterSeq, Sink sink) {
        String channel = RedisKeys.participantChannel(roomId, participantId);
        String attachId = UUID.randomUUID().toString();
        AttachmentState[] self = new AttachmentState[1];
        self[0] = new AttachmentState(roomId, participantId, attachId, afterSeq, sink, () -> {
            if (attachedByChannel.remove(channel, self[0])) {
                redis.unsubscribe(channel);
            }
        });
        AttachmentState previous = attachedByChannel.put(channel, self[0]);
        if (previous != null) {
            previous.detach();
            previous.sink.takenOver();
        }
        // Subscribe before replaying, so nothing published in between is missed (duplicates are dropped by seq).
        return redis.subscribe(channel)
                .thenCompose(v -> redis.send(Request.cmd(Command.PUBLISH).arg(channel).arg(TAKEOVER + "\n" + attachId)))
                .thenCompose(v -> replay(self[0]))
                .thenApply(v -> (Attachment) self[0])
                .whenComplete((a, e) -> {
                    if (e != null) {
                        self[0].detach();
                    }
                });
    }

    private CompletionStage<Void> replay(AttachmentState a) {
        String after = a.lastDelivered();
        Request xrange = Request.cmd(Command.XRANGE).arg(RedisKeys.inbox(a.roomId, a.participantId))
                .arg(after == null ? "-" : "(" + after).arg("+");
        return redis.send(xrange).thenAccept(r -> {
            List<Delivery> backlog = new ArrayList<>();
            if (r != null) {
                for (Response entry : r) {
                    Response fields = entry.get(1);
                    for (int i = 0; i + 1 < fields.size(); i += 2) {
                        if (Inbox.FIELD.equals(fields.get(i).toString())) {
                            backlog.add(new Delivery(entry.get(0).toString(), fields.get(i + 1).toString()));
                        }
                    }
                }
            }
            a.replayed(backlog);
        });
    }

    private void onChannelMessage(String channel, String payload) {
        AttachmentState a = attachedByChannel.get(channel);
        if (a == null) {
            return;
        }
        int nl = payload.indexOf('\n');
        if (nl < 0) {
            return;
        }
        String head = payload.substring(0, nl);
        if (TAKEOVER.equals(head)) {
            if (!payload.substring(nl + 1).equals(a.attachId)) {
                a.detach();
                a.sink.takenOver();
            }
            return;
        }
        a.live(new Delivery(head, payload.substring(nl + 1)));
    }

    /** After the subscriber reconnected: replay every local inbox from where its client is. */
    private void catchUpAll() {
        for (AttachmentState a : attachedByChannel.values()) {
            a.beginCatchUp();
            replay(a).exceptionally(e -> {
                LOG.warnf("catch-up of %s/%s failed: %s", a.roomId, a.participantId, e.getMessage());
                a.replayed(List.of());
                return null;
            });
        }
    }
}
