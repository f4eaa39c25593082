package io.webrtccluster.signaling.room;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.signaling.redis.RedisBackplane;

/**
 * Rooms in Redis (key layout in {@link RedisKeys}). Admission, leave and reaping are Lua scripts so
 * two replicas admitting the last seat at once cannot both win.
 */
public class RedisRoomStore implements RoomStore {
    /** KEYS: members, presence, session, activeRooms. ARGV: pid, memberJson, max, now, sessionTtl, roomId, sessionKeyPrefix. */
    private static final String JOIN = """
            local prev = redis.call('HGET', KEYS[1], ARGV[1])
            if not prev and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then
              return {0, false, redis.call('HVALS', KEYS[1])}
            end
            if prev then
              local old = cjson.decode(prev)
              if old.sessionId ~= cjson.decode(ARGV[2]).sessionId then redis.call('DEL', ARGV[7] .. old.sessionId) end
            end
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
            redis.call('SET', KEYS[3], ARGV[6] .. '\\n' .. ARGV[2], 'EX', ARGV[5])
            redis.call('SADD', KEYS[4], ARGV[6])
            return {1, prev or false, redis.call('HVALS', KEYS[1])}
            """;

    /** KEYS: members, presence, session, activeRooms. ARGV: pid, sessionId, roomId. */
    private static final String LEAVE = """
            local cur = redis.call('HGET', KEYS[1], ARGV[1])
            if not cur or cjson.decode(cur).sessionId ~= ARGV[2] then return 0 end
            redis.call('HDEL', KEYS[1], ARGV[1])
            redis.call('ZREM', KEYS[2], ARGV[1])
            redis.call('DEL', KEYS[3])
            if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[4], ARGV[3]) end
            return 1
            """;

    /**
     * KEYS: activeRooms. ARGV: now, sessionTtl, then per session: membersKey, presenceKey, sessionKey, roomId, pid, memberJson.
     * Re-creates missing records (Redis restarted) but never overwrites a newer session's membership.
     */
    private static final String HEARTBEAT = """
            local n = 0
            for i = 3, #ARGV, 6 do
              local members, presence, session, room, pid, json = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3], ARGV[i+4], ARGV[i+5]
              local cur = redis.call('HGET', members, pid)
              local mine = cjson.decode(json).sessionId
              if not cur or cjson.decode(cur).sessionId == mine then
                if not cur then redis.call('HSET', members, pid, json) end
                redis.call('ZADD', presence, ARGV[1], pid)
                redis.call('SET', session, room .. '\\n' .. json, 'EX', ARGV[2])
                redis.call('SADD', KEYS[1], room)
                n = n + 1
              end
            end
            return n
            """;

    /** KEYS: members, presence, activeRooms. ARGV: cutoff, roomId, sessionKeyPrefix. Returns removed member records. */
    private static final String REAP = """
            local gone = {}
            for _, pid in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])) do
              local cur = redis.call('HGET', KEYS[1], pid)
              redis.call('ZREM', KEYS[2], pid)
              if cur then
                redis.call('HDEL', KEYS[1], pid)
                redis.call('DEL', ARGV[3] .. cjson.decode(cur).sessionId)
                table.insert(gone, cur)
              end
            end
            if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
            return gone
            """;

    /** KEYS: lease. ARGV: replicaId, ttlMillis. */
    private static final String LEASE = """
            local cur = redis.call('GET', KEYS[1])
            if cur == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if not cur then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            return 0
            """;

    private static final String SESSION_PREFIX = RedisKeys.session("");
    private static final int HEARTBEAT_CHUNK = 500;

    private final RedisBackplane redis;
    private final RoomPolicy defaults;
    private final long sessionTtlSeconds;

    public RedisRoomStore(RedisBackplane redis, RoomPolicy defaults, long sessionTtlSeconds) {
        this.redis = redis;
        this.defaults = defaults;
        this.sessionTtlSeconds = sessionTtlSeconds;
    }

    @Override
    public CompletionStage<RoomPolicy> policy(String roomId) {
        return redis.hgetall(RedisKeys.roomPolicy(roomId)).thenApply(h -> h.isEmpty() ? defaults : RoomPolicy.fromHash(h));
    }

    @Override
    public CompletionStage<JoinOutcome> join(String roomId, Member member, RoomPolicy policy) {
        return redis.eval(JOIN,
                List.of(RedisKeys.roomMembers(roomId), RedisKeys.roomPresence(roomId), RedisKeys.session(member.sessionId()),
                        RedisKeys.activeRooms()),
                List.of(member.id(), MemberCodec.encode(member), Integer.toString(policy.maxParticipants()),
                        Long.toString(System.currentTimeMillis()), Long.toString(sessionTtlSeconds), roomId, SESSION_PREFIX))
                .thenApply(r -> {
                    boolean admitted = r.get(0).toInteger() == 1;
                    Member previous = r.get(1) == null ? null : MemberCodec.decode(r.get(1).toString());
                    List<Member> others = new ArrayList<>();
                    for (Response m : r.get(2)) {
                        Member decoded = MemberCodec.decode(m.toString());
                        if (!decoded.id().equals(member.id())) {
                            others.add(decoded);
                        }
                    }
                    Member replaced = previous != null && !previous.sessionId().equals(member.sessionId()) ? previous : null;
                    return new JoinOutcome(admitted, replaced, others, policy);
                });
    }

    @Override
    public CompletionStage<Boolean> leave(String roomId, String participantId, String sessionId) {
        return redis.eval(LEAVE,
                List.of(RedisKeys.roomMembers(roomId), RedisKeys.roomPresence(roomId), RedisKeys.session(sessionId),
                        RedisKeys.activeRooms()),
                List.of(participantId, sessionId, roomId))
                .thenApply(r -> r.toInteger() == 1);
    }

    @Override
    public CompletionStage<List<Member>> members(String roomId) {
        return redis.send(Request.cmd(Command.HVALS).arg(RedisKeys.roomMembers(roomId))).thenApply(r -> {
            List<Member> out = new ArrayList<>();
            for (Response m : r) {
                out.add(MemberCodec.decode(m.toString()));
            }
            return out;
        });
    }

    @Override
    public CompletionStage<Optional<SessionRecord>> session(String sessionId) {
        return redis.send(Request.cmd(Command.GET).arg(RedisKeys.session(sessionId))).thenApply(r -> {
            if (r == null) {
                return Optional.empty();
            }
            String s = r.toString();
            int nl = s.indexOf('\n');
            return Optional.of(new SessionRecord(s.substring(0, nl), MemberCodec.decode(s.substring(nl + 1))));
        });
    }

    @Override
    public CompletionStage<Void> heartbeat(Collection<SessionRecord> local) {
        List<SessionRecord> all = new ArrayList<>(local);
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int from = 0; from < all.size(); from += HEARTBEAT_CHUNK) {
            List<SessionRecord> chunk = all.subList(from, Math.min(all.size(), from + HEARTBEAT_CHUNK));
            List<String> args = new ArrayList<>(2 + chunk.size() * 6);
            args.add(Long.toString(System.currentTimeMillis()));
            args.add(Long.toString(sessionTtlSeconds));
            for (SessionRecord s : chunk) {
                args.add(RedisKeys.roomMembers(s.roomId()));
                args.add(RedisKeys.roomPresence(s.roomId()));
                args.add(RedisKeys.session(s.sessionId()));
                args.add(s.roomId());
                args.add(s.member().id());
                args.add(MemberCodec.encode(s.member()));
            }
            chain = chain.thenCompose(v -> redis.eval(HEARTBEAT, List.of(RedisKeys.activeRooms()), args).thenApply(r -> null));
        }
        return chain;
    }

    @Override
    public CompletionStage<List<String>> activeRooms() {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.activeRooms())).thenApply(r -> {
            List<String> rooms = new ArrayList<>();
            for (Response x : r) {
                rooms.add(x.toString());
            }
            return rooms;
        });
    }

    @Override
    public CompletionStage<List<Member>> reapExpired(String roomId, long cutoffMillis) {
        return redis.eval(REAP, List.of(RedisKeys.roomMembers(roomId), RedisKeys.roomPresence(roomId), RedisKeys.activeRooms()),
                List.of(Long.toString(cutoffMillis), roomId, SESSION_PREFIX)).thenApply(r -> {
                    List<Member> gone = new ArrayList<>();
                    for (Response m : r) {
                        gone.add(MemberCodec.decode(m.toString()));
                    }
                    return gone;
                });
    }

    @Override
    public CompletionStage<Void> publishParticipants(String roomId, int participants) {
        return redis.batch(List.of(
                Request.cmd(Command.HSET).arg(RedisKeys.roomState(roomId))
                        .arg("participants").arg(participants).arg("updatedAt").arg(System.currentTimeMillis()),
                Request.cmd(Command.PUBLISH).arg(RedisKeys.roomEvents()).arg(roomId))).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Boolean> holdReaperLease(String replicaId, long ttlMillis) {
        return redis.eval(LEASE, List.of(RedisKeys.reaperLease()), List.of(replicaId, Long.toString(ttlMillis)))
                .thenApply(r -> r.toInteger() == 1);
    }

    @Override
    public CompletionStage<Boolean> ping() {
        return redis.send(Request.cmd(Command.PING)).thenApply(r -> "PONG".equals(r.toString()));
    }
}
