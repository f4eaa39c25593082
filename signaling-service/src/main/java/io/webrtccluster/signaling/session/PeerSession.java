package io.webrtccluster.signaling.session;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.admission.Admission;
import io.webrtccluster.signaling.protocol.ErrorCode;
import io.webrtccluster.signaling.protocol.Ids;
import io.webrtccluster.signaling.protocol.JsonInput;
import io.webrtccluster.signaling.protocol.Messages;
import io.webrtccluster.signaling.relay.Delivery;
import io.webrtccluster.signaling.relay.Relay;
import io.webrtccluster.signaling.relay.Seq;
import io.webrtccluster.signaling.room.JoinOutcome;
import io.webrtccluster.signaling.room.Member;
import io.webrtccluster.signaling.room.SessionRecord;
import io.webrtccluster.signaling.token.JoinToken;
import io.webrtccluster.signaling.token.TokenRejected;
import io.webrtccluster.signaling.topology.RoomTopology;
import io.webrtccluster.signaling.topology.TopologyEvent;

/**
 * One browser connection: protocol v1 from first message to close. Inbound messages are handled one
 * at a time (the endpoint is serial), so a session's offer always reaches the peer before its candidates.
 */
final class PeerSession implements Relay.Sink {
    private static final Logger LOG = Logger.getLogger(PeerSession.class);
    /** How long a clean close waits before it counts as a leave (see onClose). */
    private static final long CLEAN_CLOSE_SETTLE_MS = 300;
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private enum State { NEW, JOINING, JOINED, CLOSED }

    private final WebSocketConnection connection;
    private final SessionContext ctx;
    private final RateLimiter limiter;
    /** Where the connection comes from, for per-address limits (admission.ClientAddress). */
    private final String clientAddress;
    private volatile State state = State.NEW;
    private volatile String roomId;
    private volatile Member member;
    private volatile Relay.Attachment attachment;
    private volatile boolean takenOver;
    /** The topology this client was last told to run (joined, topology-commit, topology-abort). */
    private volatile Topology topology = Topology.MESH;
    private volatile int protocolVersion = 1;
    private volatile int mixerSpeakers = RoomPolicy.DEFAULT_MIXER_SPEAKERS;
    private volatile boolean simulcast;
    /** Whether this participant should have an SFU transport: the room runs on the SFU, or is switching to it. */
    private volatile boolean sfuWanted;
    /** Whether it has one on a live worker (false: the failover check re-opens it). */
    private volatile boolean sfuOpen;
    private volatile String sfuWorkerId;
    private volatile boolean sfuOpening;
    private long dropped;
    private long lastRateLimitError;

    PeerSession(WebSocketConnection connection, SessionContext ctx, String clientAddress) {
        this.connection = connection;
        this.ctx = ctx;
        this.clientAddress = clientAddress;
        this.limiter = new RateLimiter(ctx.config.limits().messagesPerSecond(), ctx.config.limits().messageBurst());
    }

    SessionRecord record() {
        Member m = member;
        return state == State.JOINED && m != null ? new SessionRecord(roomId, m) : null;
    }

    CompletionStage<Void> onText(String text) {
        if (state == State.CLOSED) {
            return DONE;
        }
        if (!limiter.tryAcquire()) {
            return rateLimited();
        }
        int max = ctx.config.limits().maxMessageBytes();
        int maxSfuAnswer = Math.max(max, ctx.config.limits().maxSfuAnswerBytes());
        // UTF-8 bytes, counted only when the characters alone could pass the limit (at most 3 bytes each here)
        long bytes = text.length() * 3L > max ? text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length : text.length();
        boolean overMax = bytes > max;
        if (bytes > maxSfuAnswer) {
            return error(ErrorCode.TOO_LARGE, "message exceeds " + maxSfuAnswer + " bytes; it was dropped", null);
        }
        JsonNode msg;
        try {
            msg = JsonInput.parse(text);
        } catch (JsonInput.NotJson e) {
            return overMax ? tooLarge(max, maxSfuAnswer) : error(ErrorCode.BAD_JSON, e.getMessage(), null);
        }
        // Only an answer to the SFU grows with the room (an m-line per stream received); anything else stays small.
        if (overMax && !(msg != null && "answer".equals(msg.path("type").asText(null)) && Ids.SFU.equals(msg.path("to").asText(null)))) {
            return tooLarge(max, maxSfuAnswer);
        }
        if (msg == null || !msg.isObject() || !msg.path("type").isTextual()) {
            return error(ErrorCode.BAD_MESSAGE, "every message is a JSON object with a string field \"type\"", null);
        }
        String type = msg.get("type").asText();
        try {
            return switch (type) {
                case "join" -> join(msg);
                case "leave" -> leave();
                case "offer", "answer" -> relay(type, msg, "sdp");
                case "ice-candidate" -> relay(type, msg, "candidate");
                case "sfu-open" -> sfuOpenRequest(msg);
                case "topology-ready" -> topologyReport(msg, true);
                case "topology-failed" -> topologyReport(msg, false);
                case "ping" -> send(Messages.pong());
                default -> error(ErrorCode.UNKNOWN_TYPE, "unknown message type \"" + type + "\"", type);
            };
        } catch (RuntimeException e) {
            LOG.warnf(e, "failed to handle %s", type);
            return error(ErrorCode.BAD_MESSAGE, "could not handle this " + type + " message", type);
        }
    }

    CompletionStage<Void> onBinary() {
        if (state == State.CLOSED) {
            return DONE;
        }
        return limiter.tryAcquire() ? error(ErrorCode.BAD_MESSAGE, "binary frames are not part of the protocol; send JSON text", null)
                : rateLimited();
    }

    /** The join timeout passed: a connection that has not asked to join by now is closed. */
    void joinTimedOut(java.time.Duration after) {
        if (state == State.NEW) {
            error(ErrorCode.JOIN_TIMEOUT, "no join within " + after.toMillis() / 1000.0 + " s of connecting; closing", null);
        }
    }

    private CompletionStage<Void> rateLimited() {
        dropped++;
        if (dropped > ctx.config.limits().floodCloseAfter()) {
            return error(ErrorCode.FLOOD, "too many messages: closing this connection", null);
        }
        long now = System.nanoTime();
        if (now - lastRateLimitError < 1_000_000_000L) {
            return DONE; // one error per second is enough; the rest are dropped quietly
        }
        lastRateLimitError = now;
        return error(ErrorCode.RATE_LIMITED, "more than " + ctx.config.limits().messagesPerSecond()
                + " messages/s: messages are being dropped", null);
    }

    // ---- join / resume

    private CompletionStage<Void> join(JsonNode msg) {
        if (state != State.NEW) {
            return error(ErrorCode.ALREADY_JOINED, "this connection has already joined", "join");
        }
        JsonNode v = msg.get("v");
        if (v != null && !Messages.supportsVersion(v)) {
            return error(ErrorCode.UNSUPPORTED_VERSION, "protocol version " + abbreviate(v.toString())
                    + " is not supported; use " + Messages.supportedVersions(), "join");
        }
        protocolVersion = v == null ? 1 : v.asInt();
        JoinToken token;
        try {
            token = ctx.admission.verifyJoin(ctx.tokens, clientAddress, msg.path("token").asText(null));
        } catch (Admission.TooManyAttempts e) {
            return error(ErrorCode.TOO_MANY_ATTEMPTS, e.getMessage(), "join");
        } catch (TokenRejected e) {
            return error(ErrorCode.UNAUTHORIZED, e.getMessage(), "join");
        }
        String room = msg.path("room").asText(token.room());
        if (!room.equals(token.room())) {
            return error(ErrorCode.WRONG_ROOM, "this token is for room \"" + token.room() + "\", not \"" + room + "\"", "join");
        }
        state = State.JOINING;
        roomId = room;
        simulcast = msg.path("simulcast").asBoolean(false);
        JsonNode resume = msg.path("resume");
        String resumeSession = resume.path("sessionId").asText(null);
        String lastSeq = resume.path("lastSeq").asText(null);
        if (lastSeq != null && !Seq.valid(lastSeq)) {
            lastSeq = null;
        }
        String after = lastSeq;
        CompletionStage<Void> joined = resumeSession == null ? freshJoin(token)
                : ctx.store.session(resumeSession).thenCompose(s -> s.isPresent()
                        && s.get().roomId().equals(room) && s.get().member().id().equals(token.identity())
                        ? resume(s.get(), after) : freshJoin(token));
        return joined.exceptionally(e -> {
            LOG.warnf("join of %s to %s failed: %s", token.identity(), room, e.getMessage());
            error(ErrorCode.UNAVAILABLE, "the room service is unavailable right now; retry shortly", "join");
            close(1013, "try again later");
            return null;
        });
    }

    private CompletionStage<Void> resume(SessionRecord previous, String lastSeq) {
        Member m = new Member(previous.member().id(), previous.member().name(), previous.sessionId(), ctx.replicaId,
                previous.member().joinedAt());
        member = m;
        return ctx.store.heartbeat(List.of(new SessionRecord(roomId, m)))
                .thenCompose(v -> ctx.store.policy(roomId))
                .thenCompose(policy -> ctx.store.members(roomId).thenCompose(all -> {
                    List<Member> others = all.stream().filter(x -> !x.id().equals(m.id())).toList();
                    // Never a fresh start: a resumed client still runs what the room ran (even if alone now).
                    return ctx.topology.stateForJoin(roomId, policy, false)
                            .thenCompose(state -> enter(m, others, state, policy, true, lastSeq));
                }));
    }

    private CompletionStage<Void> freshJoin(JoinToken token) {
        Member m = new Member(token.identity(), token.name() == null ? token.identity() : token.name(),
                UUID.randomUUID().toString(), ctx.replicaId, System.currentTimeMillis());
        member = m;
        return ctx.store.policy(roomId)
                .thenCompose(policy -> {
                    if (protocolVersion < 2 && policy.mode() == TopologyMode.AUTO) {
                        throw new VersionTooOld("room \"" + roomId + "\" moves between mesh and SFU as it grows, which needs"
                                + " protocol v2; this client speaks v" + protocolVersion + " (update the SDK)");
                    }
                    return CompletableFuture.completedFuture(policy);
                })
                .thenCompose(policy -> ctx.relay.clearInbox(roomId, m.id())
                        .thenCompose(v -> ctx.store.join(roomId, m, policy)))
                .thenCompose(outcome -> {
                    if (!outcome.admitted()) {
                        return error(ErrorCode.ROOM_FULL, "room \"" + roomId + "\" is full ("
                                + outcome.policy().maxParticipants() + " participants)", "join");
                    }
                    // The room's live topology decides what the joiner runs; the join is counted first, so the
                    // participant whose join starts a switch lands in its target instead of the old path.
                    return ctx.topology.stateForJoin(roomId, outcome.policy(), outcome.others().isEmpty())
                            .thenCompose(s -> ctx.topology.evaluate(roomId, TopologyEvent.JOIN))
                            .thenCompose(v -> ctx.topology.read(roomId))
                            .thenCompose(state -> enterAsNew(m, outcome, state));
                })
                .exceptionallyCompose(e -> rootCause(e) instanceof VersionTooOld old
                        ? error(ErrorCode.UNSUPPORTED_VERSION, old.getMessage(), "join")
                        : CompletableFuture.failedFuture(e));
    }

    private CompletionStage<Void> enterAsNew(Member m, JoinOutcome outcome, RoomTopology state) {
        Topology runs = state.forJoiner();
        return enter(m, outcome.others(), state, outcome.policy(), false, null)
                .thenCompose(v -> runs.usesWorker() ? openSfu() : DONE)
                .thenCompose(v -> broadcast(outcome.others(), Messages.participantJoined(m)))
                .thenCompose(v -> ctx.store.publishParticipants(roomId, outcome.participants()));
    }

    /** Tells the client it is in, then starts its deliveries (replaying the inbox after {@code lastSeq}). */
    private CompletionStage<Void> enter(Member m, List<Member> others, RoomTopology room, RoomPolicy policy,
                                        boolean resumed, String lastSeq) {
        Topology runs = room.forJoiner();
        this.topology = runs;
        this.sfuWanted = runs.usesWorker() || room.current().usesWorker() && resumed;
        this.mixerSpeakers = policy.mixerSpeakers();
        this.sfuOpen = resumed && sfuWanted; // a resumed session's transport lives on in the worker
        if (sfuOpen) {
            ctx.sfu.currentWorkerId(roomId).thenAccept(id -> sfuWorkerId = id);
        }
        Topology switchingFrom = room.preparing() ? room.current() : null;
        return ctx.ice.forParticipant(m.id(), policy)
                .thenCompose(ice -> send(Messages.joined(roomId, m.sessionId(), m, others, runs, room.epoch(), switchingFrom,
                        policy, ice, resumed, protocolVersion)))
                .thenCompose(v -> ctx.relay.attach(roomId, m.id(), lastSeq, this))
                .thenAccept(a -> {
                    attachment = a;
                    if (state == State.JOINING) {
                        state = State.JOINED;
                        ctx.locals.add(this);
                    } else {
                        a.detach(); // closed while joining
                    }
                });
    }

    // ---- leave / close

    private CompletionStage<Void> leave() {
        if (state != State.JOINED) {
            return error(ErrorCode.NOT_JOINED, "join a room first", "leave");
        }
        return leaveRoom("left").thenCompose(v -> close(1000, "left"));
    }

    private CompletionStage<Void> leaveRoom(String reason) {
        Member m = member;
        String room = roomId;
        detach();
        if (sfuWanted) {
            ctx.sfu.close(room, m.id()).exceptionally(e -> null);
        }
        return ctx.store.leave(room, m.id(), m.sessionId()).thenCompose(removed -> {
            if (!removed) {
                return DONE;
            }
            return ctx.store.members(room).thenCompose(rest -> broadcast(rest, Messages.participantLeft(m.id(), reason))
                    .thenCompose(v -> ctx.store.publishParticipants(room, rest.size()))
                    .thenCompose(v -> ctx.topology.evaluate(room, TopologyEvent.LEAVE)));
        });
    }

    /** The socket is gone. A clean close (1000/1001 from the client) is a leave; anything else keeps the seat for a resume. */
    void onClose(CloseReason reason) {
        State was = state;
        state = State.CLOSED;
        ctx.locals.remove(this);
        if (was != State.JOINED || takenOver) {
            detach();
            return;
        }
        int code = reason == null ? 1006 : reason.getCode();
        boolean clientLeft = (code == 1000 || code == 1001) && !ctx.locals.shuttingDown();
        if (!clientLeft) {
            detach(); // seat kept until the presence TTL: the client may resume on any replica
            return;
        }
        // A clean close may also be our own HTTP server closing sockets as this replica stops, a moment before
        // it says so: look again shortly, and leave only if the replica is still not stopping.
        io.vertx.core.Context here = io.vertx.core.Vertx.currentContext();
        if (here == null) {
            leaveUnlessStopping();
        } else {
            here.owner().setTimer(CLEAN_CLOSE_SETTLE_MS, t -> leaveUnlessStopping());
        }
    }

    private void leaveUnlessStopping() {
        if (ctx.locals.shuttingDown()) {
            detach();
            return;
        }
        leaveRoom("left").exceptionally(e -> {
            LOG.warnf("leave of %s failed (presence expiry will remove it): %s", member.id(), e.getMessage());
            return null;
        });
    }

    private void detach() {
        Relay.Attachment a = attachment;
        attachment = null;
        if (a != null) {
            a.detach();
        }
    }

    // ---- peer-to-peer signaling

    private CompletionStage<Void> relay(String type, JsonNode msg, String payloadName) {
        if (state != State.JOINED) {
            return error(ErrorCode.NOT_JOINED, "join a room before sending " + type, type);
        }
        String to = msg.path("to").asText(null);
        if (to == null || to.isEmpty()) {
            return error(ErrorCode.BAD_MESSAGE, type + " needs a string field \"to\"", type);
        }
        JsonNode payload = msg.get(payloadName);
        if (payload == null || ("sdp".equals(payloadName) && !payload.isTextual())) {
            return error(ErrorCode.BAD_MESSAGE, type + " needs a field \"" + payloadName + "\"", type);
        }
        if (to.equals(member.id())) {
            return error(ErrorCode.BAD_MESSAGE, "cannot send " + type + " to yourself", type);
        }
        if (Ids.SFU.equals(to) && sfuWanted) {
            return relayToSfu(type, msg);
        }
        JsonNode pc = msg.get("pc");
        if (pc != null && !Messages.validConnectionId(pc)) {
            return error(ErrorCode.BAD_MESSAGE, type + ": \"pc\" must be a connection id of 1-64 letters, digits, '-' or '_'", type);
        }
        String json = Messages.relayed(type, member.id(), payload, payloadName, pc == null ? null : pc.asText());
        return ctx.relay.deliverToMember(roomId, to, json).thenCompose(seq -> {
            if (seq == null) {
                return error(ErrorCode.UNKNOWN_PARTICIPANT, "participant \"" + to + "\" is not in room \"" + roomId
                        + "\"; the " + type + " was not delivered", type);
            }
            ctx.relayed.increment();
            return DONE;
        }).exceptionally(e -> {
            error(ErrorCode.UNAVAILABLE, "could not relay " + type + " right now; retry", type);
            return null;
        });
    }

    /** The SFU branch: the worker makes every offer; answers go to its control API; candidates are not needed (ICE-lite). */
    private CompletionStage<Void> relayToSfu(String type, JsonNode msg) {
        return switch (type) {
            case "answer" -> ctx.sfu.answer(roomId, member.id(), msg.get("sdp").asText(), msg.path("version").asLong(0))
                    .exceptionally(e -> {
                        error(ErrorCode.UNAVAILABLE, "the SFU did not take the answer: " + rootMessage(e), type);
                        return null;
                    });
            case "ice-candidate" -> DONE;
            default -> error(ErrorCode.BAD_MESSAGE, "the SFU makes the offers in this room; answer them", type);
        };
    }

    private CompletionStage<Void> tooLarge(int max, int maxSfuAnswer) {
        return error(ErrorCode.TOO_LARGE, "message exceeds " + max + " bytes; it was dropped (only an answer to the SFU may be up to "
                + maxSfuAnswer + ")", null);
    }

    // ---- live topology (see topology/TopologyCoordinator)

    /** {@code sfu-open}: during a switch to the SFU (or after an abort back to it) the client asks for its transport. */
    private CompletionStage<Void> sfuOpenRequest(JsonNode msg) {
        if (state != State.JOINED) {
            return error(ErrorCode.NOT_JOINED, "join a room before sfu-open", "sfu-open");
        }
        return ctx.topology.read(roomId).thenCompose(s -> {
            if (s == null || (!s.current().usesWorker() && (s.target() == null || !s.target().usesWorker()))) {
                return error(ErrorCode.BAD_MESSAGE, "room \"" + roomId + "\" is not running on or switching to an SFU", "sfu-open");
            }
            sfuWanted = true;
            // The client has no SFU connection (it would not ask otherwise): a transport we think it has is
            // stale (opened before a replica died, say), so open afresh; open() replaces any old one.
            return openSfu();
        });
    }

    /** {@code topology-ready} / {@code topology-failed} with the switch's {@code epoch}; reports of other switches are ignored. */
    private CompletionStage<Void> topologyReport(JsonNode msg, boolean ready) {
        String type = ready ? "topology-ready" : "topology-failed";
        if (state != State.JOINED) {
            return error(ErrorCode.NOT_JOINED, "join a room before " + type, type);
        }
        JsonNode epoch = msg.get("epoch");
        if (epoch == null || !epoch.canConvertToLong() || !epoch.isIntegralNumber()) {
            return error(ErrorCode.BAD_MESSAGE, type + " needs the switch's \"epoch\" (an integer)", type);
        }
        return ready ? ctx.topology.ready(roomId, epoch.asLong(), member.id())
                : ctx.topology.failed(roomId, epoch.asLong(), member.id(), Messages.clip(msg.path("reason").asText(""), 200));
    }

    /** Follows the switches its client is told about, so SFU failover and leave know whether it has an SFU transport. */
    private void observeTopology(String json) {
        if (!json.startsWith("{\"type\":\"topology-")) {
            return; // the hot path: offers, answers and candidates
        }
        try {
            JsonNode n = Messages.JSON.readTree(json);
            String type = n.path("type").asText();
            if (type.equals("topology-commit") || type.equals("topology-abort")) {
                topology = Topology.fromWire(n.path("topology").asText());
                if (topology == Topology.MESH) {
                    sfuWanted = false; // the coordinator closed the room's transports
                    sfuOpen = false;
                } else {
                    sfuWanted = true; // a client that never asked (sfu-open) gets its transport from the failover check
                }
            }
        } catch (Exception e) {
            LOG.debugf("unreadable topology message: %s", e.getMessage());
        }
    }

    /** Opens this participant's SFU transport; on failure the client is told and the failover check retries. */
    CompletionStage<Void> openSfu() {
        if (sfuOpening || state == State.CLOSED) {
            return DONE;
        }
        sfuOpening = true;
        return ctx.sfu.open(roomId, member.id(), simulcast, topology, mixerSpeakers).handle((workerId, e) -> {
            sfuOpening = false;
            if (e != null) {
                LOG.warnf("SFU transport for %s/%s: %s", roomId, member.id(), rootMessage(e));
                error(ErrorCode.UNAVAILABLE, "this room runs on an SFU and none is available right now ("
                        + rootMessage(e) + "); media resumes when one is", null);
            } else {
                sfuWorkerId = workerId;
                sfuOpen = true;
            }
            return null;
        });
    }

    boolean isSfu() {
        return state == State.JOINED && sfuWanted;
    }

    boolean sfuOpen() {
        return sfuOpen;
    }

    /** The worker holding this participant's transport, or null (unknown after a resume on another replica). */
    String sfuWorkerId() {
        return sfuWorkerId;
    }

    String roomId() {
        return roomId;
    }

    /** The room's worker died: the client drops its SFU connection, and we open a transport on another worker. */
    CompletionStage<Void> sfuLost() {
        sfuOpen = false;
        return send(Messages.JSON.createObjectNode().put("type", "sfu-reset")
                .put("message", "the media server for this room stopped; reconnecting media").toString())
                .thenCompose(v -> openSfu());
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** A v1 client asked to join a room that switches topology. */
    private static final class VersionTooOld extends RuntimeException {
        VersionTooOld(String message) {
            super(message, null, false, false);
        }
    }

    private static String rootMessage(Throwable e) {
        return rootCause(e).getMessage();
    }

    private CompletionStage<Void> broadcast(List<Member> to, String json) {
        return ctx.relay.deliverToAll(roomId, to.stream().map(Member::id).toList(), json);
    }

    // ---- Relay.Sink: deliveries from the inbox

    @Override
    public void deliver(Delivery d) {
        observeTopology(d.json());
        connection.sendText(Messages.withSeq(d.json(), d.seq())).subscribe().with(v -> { }, e -> { });
    }

    @Override
    public void takenOver() {
        takenOver = true;
        error(ErrorCode.REPLACED, "this participant connected again elsewhere; this connection is closed", null);
    }

    // ---- output

    private CompletionStage<Void> error(ErrorCode code, String message, String ref) {
        ctx.errors.increment();
        CompletionStage<Void> sent = send(Messages.error(code, message, ref));
        if (code.closes()) {
            if (state != State.JOINED) {
                state = State.CLOSED; // a refused join holds no seat
            }
            return sent.thenCompose(v -> close(code.closeCode(), code.wire()));
        }
        return sent;
    }

    private CompletionStage<Void> send(String text) {
        return connection.sendText(text).subscribeAsCompletionStage().exceptionally(e -> null);
    }

    private CompletionStage<Void> close(int code, String reason) {
        return connection.close(new CloseReason(code, reason)).subscribeAsCompletionStage().exceptionally(e -> null);
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
