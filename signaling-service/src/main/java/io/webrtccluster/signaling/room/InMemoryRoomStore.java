package io.webrtccluster.signaling.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.webrtccluster.contracts.room.RoomPolicy;

/** Rooms in this process only: the embedded default when no Redis is configured (one replica). */
public class InMemoryRoomStore implements RoomStore {
    private final RoomPolicy defaults;
    private final Map<String, Map<String, Member>> members = new HashMap<>();
    private final Map<String, Map<String, Long>> presence = new HashMap<>();
    private final Map<String, SessionRecord> sessions = new HashMap<>();

    public InMemoryRoomStore(RoomPolicy defaults) {
        this.defaults = defaults;
    }

    @Override
    public CompletionStage<RoomPolicy> policy(String roomId) {
        return done(defaults);
    }

    @Override
    public synchronized CompletionStage<JoinOutcome> join(String roomId, Member member, RoomPolicy policy) {
        Map<String, Member> room = members.computeIfAbsent(roomId, r -> new LinkedHashMap<>());
        Member previous = room.get(member.id());
        List<Member> others = new ArrayList<>(room.values());
        others.removeIf(m -> m.id().equals(member.id()));
        if (previous == null && room.size() >= policy.maxParticipants()) {
            return done(new JoinOutcome(false, null, others, policy));
        }
        room.put(member.id(), member);
        presence.computeIfAbsent(roomId, r -> new HashMap<>()).put(member.id(), System.currentTimeMillis());
        sessions.put(member.sessionId(), new SessionRecord(roomId, member));
        Member replaced = previous != null && !previous.sessionId().equals(member.sessionId()) ? previous : null;
        if (replaced != null) {
            sessions.remove(replaced.sessionId());
        }
        return done(new JoinOutcome(true, replaced, others, policy));
    }

    @Override
    public synchronized CompletionStage<Boolean> leave(String roomId, String participantId, String sessionId) {
        Map<String, Member> room = members.get(roomId);
        Member m = room == null ? null : room.get(participantId);
        if (m == null || !m.sessionId().equals(sessionId)) {
            return done(false);
        }
        room.remove(participantId);
        presence.getOrDefault(roomId, Map.of()).remove(participantId);
        sessions.remove(sessionId);
        if (room.isEmpty()) {
            members.remove(roomId);
            presence.remove(roomId);
        }
        return done(true);
    }

    @Override
    public synchronized CompletionStage<List<Member>> members(String roomId) {
        return done(new ArrayList<>(members.getOrDefault(roomId, Map.of()).values()));
    }

    @Override
    public synchronized CompletionStage<Optional<SessionRecord>> session(String sessionId) {
        return done(Optional.ofNullable(sessions.get(sessionId)));
    }

    @Override
    public synchronized CompletionStage<Void> heartbeat(Collection<SessionRecord> local) {
        long now = System.currentTimeMillis();
        for (SessionRecord s : local) {
            Member current = members.getOrDefault(s.roomId(), Map.of()).get(s.member().id());
            if (current != null && current.sessionId().equals(s.sessionId())) {
                presence.computeIfAbsent(s.roomId(), r -> new HashMap<>()).put(s.member().id(), now);
            }
        }
        return done(null);
    }

    @Override
    public synchronized CompletionStage<List<String>> activeRooms() {
        return done(new ArrayList<>(members.keySet()));
    }

    @Override
    public synchronized CompletionStage<List<Member>> reapExpired(String roomId, long cutoffMillis) {
        List<Member> gone = new ArrayList<>();
        Map<String, Long> seen = presence.getOrDefault(roomId, Map.of());
        for (Member m : new ArrayList<>(members.getOrDefault(roomId, Map.of()).values())) {
            if (seen.getOrDefault(m.id(), 0L) < cutoffMillis) {
                leave(roomId, m.id(), m.sessionId());
                gone.add(m);
            }
        }
        return done(gone);
    }

    @Override
    public CompletionStage<Void> publishParticipants(String roomId, int participants) {
        return done(null); // nobody reads it without Redis (no operator)
    }

    @Override
    public CompletionStage<Boolean> holdReaperLease(String replicaId, long ttlMillis) {
        return done(true);
    }

    @Override
    public CompletionStage<Boolean> ping() {
        return done(true);
    }

    private static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
