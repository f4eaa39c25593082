package io.webrtccluster.operator.redis;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.operator.config.OperatorConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.JedisPooled;

/** The operator's view of Redis: room policies and TurnPool records it owns, the live room state signaling keeps. */
@ApplicationScoped
public class RoomStore {

    /** Replace the whole hash atomically, so a field dropped from the policy does not linger. */
    private static final String REPLACE_HASH = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV))
            return 1
            """;

    private static final int TIMEOUT_MS = 2000;

    private final String url;
    private final JedisPooled redis;

    public RoomStore(OperatorConfig config) {
        this.url = config.redis().url();
        this.redis = new JedisPooled(URI.create(url), TIMEOUT_MS);
    }

    public String url() {
        return url;
    }

    public Optional<RoomPolicy> policy(String roomId) {
        Map<String, String> h = redis.hgetAll(RedisKeys.roomPolicy(roomId));
        return h.isEmpty() ? Optional.empty() : Optional.of(RoomPolicy.fromHash(h));
    }

    public void writePolicy(String roomId, RoomPolicy policy) {
        List<String> args = new ArrayList<>();
        policy.toHash().forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis.eval(REPLACE_HASH, List.of(RedisKeys.roomPolicy(roomId)), args);
    }

    public Map<String, String> hash(String key) {
        return redis.hgetAll(key);
    }

    public void replaceHash(String key, Map<String, String> hash) {
        List<String> args = new ArrayList<>();
        hash.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
        redis.eval(REPLACE_HASH, List.of(key), args);
    }

    public void delete(String key) {
        redis.del(key);
    }

    public void deletePolicy(String roomId) {
        redis.del(RedisKeys.roomPolicy(roomId));
    }

    /** Live participants (HLEN of the members hash) and the room's state hash: topology, switch under way, last switch. */
    public RoomLive live(String roomId) {
        long participants = redis.hlen(RedisKeys.roomMembers(roomId));
        Map<String, String> state = redis.hgetAll(RedisKeys.roomState(roomId));
        return RoomLive.fromState(roomId, (int) participants, state);
    }

    @PreDestroy
    void close() {
        redis.close();
    }
}
