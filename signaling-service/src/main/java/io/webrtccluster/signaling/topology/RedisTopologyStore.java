package io.webrtccluster.signaling.topology;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.signaling.redis.RedisBackplane;

/**
 * Topology state in the room's state hash ({@link RedisKeys#roomState}), beside the participant count
 * the operator reads; READY reports in a set per switch epoch that expires on its own.
 */
public final class RedisTopologyStore implements TopologyStore {
    /** Compare-and-set on the version field; the operator is told through the room-events channel. */
    private static final String CAS = """
            local v = redis.call('HGET', KEYS[1], 'version') or '0'
            if v ~= ARGV[1] then return 0 end
            for i = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
            redis.call('HSET', KEYS[1], 'version', ARGV[2])
            redis.call('PUBLISH', KEYS[2], ARGV[3])
            return 1
            """;
    private static final long READY_TTL_MILLIS = 120_000;

    private final RedisBackplane redis;

    public RedisTopologyStore(RedisBackplane redis) {
        this.redis = redis;
    }

    @Override
    public CompletionStage<RoomTopology> read(String roomId) {
        return redis.hgetall(RedisKeys.roomState(roomId)).thenApply(RoomTopology::fromHash);
    }

    @Override
    public CompletionStage<Boolean> compareAndSet(String roomId, long expectedVersion, RoomTopology next) {
        List<String> args = new ArrayList<>(List.of(Long.toString(expectedVersion), Long.toString(expectedVersion + 1), roomId));
        for (Map.Entry<String, String> e : next.toHash().entrySet()) {
            args.add(e.getKey());
            args.add(e.getValue());
        }
        return redis.eval(CAS, List.of(RedisKeys.roomState(roomId), RedisKeys.roomEvents()), args)
                .thenApply(r -> r.toInteger() == 1);
    }

    @Override
    public CompletionStage<Void> markReady(String roomId, long epoch, String participantId) {
        String key = RedisKeys.topologyReady(roomId, epoch);
        return redis.batch(List.of(Request.cmd(Command.SADD).arg(key).arg(participantId),
                Request.cmd(Command.PEXPIRE).arg(key).arg(READY_TTL_MILLIS))).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Set<String>> ready(String roomId, long epoch) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.topologyReady(roomId, epoch))).thenApply(r -> {
            Set<String> out = new HashSet<>();
            if (r != null) {
                for (Response m : r) {
                    out.add(m.toString());
                }
            }
            return out;
        });
    }
}
