package io.webrtccluster.signaling.redis;

import java.util.Optional;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.vertx.core.Vertx;
import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.TopologyMode;
import io.webrtccluster.signaling.config.SignalingConfig;
import io.webrtccluster.signaling.relay.InMemoryRelay;
import io.webrtccluster.signaling.relay.RedisRelay;
import io.webrtccluster.signaling.relay.Relay;
import io.webrtccluster.signaling.room.InMemoryRoomStore;
import io.webrtccluster.signaling.room.RedisRoomStore;
import io.webrtccluster.signaling.room.RoomStore;
import io.webrtccluster.signaling.topology.InMemoryTopologyStore;
import io.webrtccluster.signaling.topology.RedisTopologyStore;
import io.webrtccluster.signaling.topology.TopologyStore;

/** Picks the shared state: Redis when {@code wrc.redis.url} is set, otherwise the in-process default (one replica). */
@ApplicationScoped
public class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class);

    private final RoomStore store;
    private final Relay relay;
    private final TopologyStore topology;
    private final RedisBackplane redis;

    @Inject
    public Backends(SignalingConfig config, Vertx vertx) {
        SignalingConfig.RoomDefaults d = config.roomDefaults();
        RoomPolicy defaults = new RoomPolicy(d.maxParticipants(), d.meshThreshold(), TopologyMode.fromWire(d.mode()), null, false, 0,
                (int) d.hysteresis().toSeconds(), d.mcuThreshold(), d.mixerSpeakers());
        Optional<String> url = config.redis().url().filter(u -> !u.isBlank());
        if (url.isPresent()) {
            LOG.infof("Rooms and relay in Redis at %s", url.get());
            redis = new RedisBackplane(vertx, url.get());
            store = new RedisRoomStore(redis, defaults, Math.max(60, config.presence().ttl().toSeconds() * 4));
            relay = new RedisRelay(redis);
            topology = new RedisTopologyStore(redis);
        } else {
            LOG.info("wrc.redis.url is not set: rooms and relay in process (single replica)");
            redis = null;
            InMemoryRoomStore memory = new InMemoryRoomStore(defaults);
            topology = new InMemoryTopologyStore();
            store = memory;
            relay = new InMemoryRelay(k -> memory.members(k[0]).toCompletableFuture().join().stream()
                    .anyMatch(m -> m.id().equals(k[1])));
        }
    }

    @Produces
    @Singleton
    RoomStore roomStore() {
        return store;
    }

    @Produces
    @Singleton
    Relay relay() {
        return relay;
    }

    @Produces
    @Singleton
    TopologyStore topologyStore() {
        return topology;
    }

    public boolean usesRedis() {
        return redis != null;
    }

    public Optional<RedisBackplane> redis() {
        return Optional.ofNullable(redis);
    }

    @PreDestroy
    void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
