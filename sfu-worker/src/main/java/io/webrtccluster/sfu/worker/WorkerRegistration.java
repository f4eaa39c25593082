package io.webrtccluster.sfu.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.webrtccluster.contracts.sfu.SfuOffer;
import io.webrtccluster.contracts.sfu.WorkerRecord;
import io.webrtccluster.contracts.store.Inbox;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.sfu.metrics.MediaMetrics;
import io.webrtccluster.sfu.room.OfferSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The worker's presence in Redis: its {@link WorkerRecord} refreshed by a heartbeat (the key's TTL
 * makes a dead worker vanish), and the delivery of offers to participants' inboxes. Without
 * {@code wrc.redis.url} both are off and offers travel only in HTTP responses.
 */
@ApplicationScoped
public class WorkerRegistration implements OfferSink {
    private static final Logger LOG = Logger.getLogger(WorkerRegistration.class);

    @Inject
    Vertx vertx;
    @Inject
    ObjectMapper json;
    @Inject
    WorkerConfig config;
    @ConfigProperty(name = "wrc.redis.url")
    Optional<String> redisUrl;

    private RedisAPI redis;
    private MediaWorker worker;
    private long timerId = -1;
    private long lastPacketsOut;
    private long lastBeatMs;

    /** Registers the worker and keeps it registered; {@code afterFirstBeat} runs once the first registration was sent. */
    void start(MediaWorker worker, Runnable afterFirstBeat) {
        this.worker = worker;
        if (redisUrl.isEmpty() || redisUrl.get().isBlank()) {
            LOG.info("wrc.redis.url not set: no registration, offers only in HTTP responses");
            afterFirstBeat.run();
            return;
        }
        redis = RedisAPI.api(Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl.get())
                .setMaxPoolSize(4).setMaxPoolWaiting(256)));
        lastBeatMs = System.currentTimeMillis();
        beat().onComplete(r -> afterFirstBeat.run());
        timerId = vertx.setPeriodic(config.heartbeat().toMillis(), id -> heartbeatNow());
    }

    public void heartbeatNow() {
        beat();
    }

    /**
     * SIGTERM: the registration says draining, then the worker says so on {@link RedisKeys#sfuWorkerEvents()}, so
     * signaling moves its rooms now rather than when the registration expires. Waits briefly: the announcement
     * is what makes the failover fast, and the drain that follows needs it sent.
     */
    void announceStopping() {
        if (redis == null) {
            return;
        }
        try {
            beat().compose(r -> redis.publish(RedisKeys.sfuWorkerEvents(), worker.workerId()))
                    .toCompletionStage().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("could not announce the drain: %s", e.toString());
        }
    }

    private io.vertx.core.Future<?> beat() {
        if (redis == null) {
            return io.vertx.core.Future.succeededFuture();
        }
        long now = System.currentTimeMillis();
        long out = MediaMetrics.get().packetsOut();
        long pps = now > lastBeatMs ? (out - lastPacketsOut) * 1000 / Math.max(1, now - lastBeatMs) : 0;
        lastPacketsOut = out;
        lastBeatMs = now;
        WorkerRecord record = new WorkerRecord(worker.workerId(), worker.controlUrl(), worker.dedicatedRoom(),
                worker.participants(), worker.producers() + worker.consumers(), pps, worker.draining());
        String key = RedisKeys.sfuWorker(record.id());
        List<String> hset = new ArrayList<>();
        hset.add(key);
        for (Map.Entry<String, String> e : record.toHash().entrySet()) {
            hset.add(e.getKey());
            hset.add(e.getValue());
        }
        long ttlMs = config.heartbeat().toMillis() * 3;
        return redis.hset(hset)
                .compose(r -> redis.pexpire(List.of(key, Long.toString(ttlMs))))
                .compose(r -> redis.sadd(List.of(RedisKeys.sfuWorkers(), record.id())))
                .onFailure(e -> LOG.warnf("heartbeat to Redis failed: %s", e.toString()));
    }

    void stop() {
        if (redis == null) {
            return;
        }
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        String id = worker.workerId();
        try {
            redis.del(List.of(RedisKeys.sfuWorker(id)))
                    .compose(r -> redis.srem(List.of(RedisKeys.sfuWorkers(), id)))
                    // Also after a drain timeout with participants left: their signaling moves them now.
                    .compose(r -> redis.publish(RedisKeys.sfuWorkerEvents(), id))
                    .toCompletionStage().toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warnf("could not deregister: %s", e.toString());
        }
    }

    @Override
    public boolean deliver(String roomId, String participantId, SfuOffer offer) {
        if (redis == null || offer == null) {
            return false;
        }
        toInbox(roomId, participantId, offer).onFailure(e ->
                LOG.warnf("offer v%d to %s/%s not delivered: %s", offer.version(), roomId, participantId, e));
        return true;
    }

    @Override
    public void deliverEvent(String roomId, String participantId, java.util.Map<String, Object> event) {
        if (redis == null) {
            return;
        }
        toInbox(roomId, participantId, event).onFailure(e ->
                LOG.debugf("%s to %s/%s not delivered: %s", event.get("type"), roomId, participantId, e));
    }

    /** Appends a message to the participant's inbox and wakes the replica holding its socket (Inbox.DELIVER_SCRIPT). */
    private io.vertx.core.Future<io.vertx.redis.client.Response> toInbox(String roomId, String participantId, Object message) {
        String text;
        try {
            text = json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return redis.eval(List.of(Inbox.DELIVER_SCRIPT, "2", RedisKeys.inbox(roomId, participantId),
                RedisKeys.participantChannel(roomId, participantId), text,
                Integer.toString(Inbox.MAX_LENGTH), Integer.toString(Inbox.TTL_SECONDS)));
    }
}
