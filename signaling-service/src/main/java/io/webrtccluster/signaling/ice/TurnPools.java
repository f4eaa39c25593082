package io.webrtccluster.signaling.ice;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.contracts.turn.TurnPoolRecord;
import io.webrtccluster.signaling.redis.Backends;
import io.webrtccluster.signaling.redis.RedisBackplane;

/**
 * TurnPool records the operator keeps in Redis, cached for a few seconds: a join should not cost a
 * Redis round trip per pool, and a rotated secret is picked up within the cache time (coturn still
 * accepts the previous one for its grace window, so nothing in between fails).
 */
@ApplicationScoped
public class TurnPools {
    private static final long CACHE_MS = 5000;

    private record Cached(Optional<TurnPoolRecord> record, long at) {
    }

    private final RedisBackplane redis;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    public TurnPools(Backends backends) {
        this.redis = backends.redis().orElse(null);
    }

    public CompletionStage<Optional<TurnPoolRecord>> find(String pool) {
        if (redis == null || pool == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Cached c = cache.get(pool);
        long now = System.currentTimeMillis();
        if (c != null && now - c.at() < CACHE_MS) {
            return CompletableFuture.completedFuture(c.record());
        }
        return redis.hgetall(RedisKeys.turnPool(pool)).thenApply(h -> {
            Optional<TurnPoolRecord> record = h.isEmpty() ? Optional.empty() : Optional.of(TurnPoolRecord.fromHash(h));
            cache.put(pool, new Cached(record, now));
            return record;
        });
    }
}
