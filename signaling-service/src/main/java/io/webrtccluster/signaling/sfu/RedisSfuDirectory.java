package io.webrtccluster.signaling.sfu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.webrtccluster.contracts.sfu.WorkerRecord;
import io.webrtccluster.contracts.store.RedisKeys;
import io.webrtccluster.signaling.redis.RedisBackplane;

/**
 * Which SFU worker serves a room. Workers register themselves in Redis with a TTL; the first SFU
 * join of a room picks the least-loaded live, non-draining one and records it for the room (SET NX,
 * so concurrent joins on different replicas agree). A room whose worker's registration expired gets
 * a new one, and so does a room whose worker drains (SIGTERM): the worker says so on a pub/sub channel.
 */
final class RedisSfuDirectory implements SfuDirectory {
    private final RedisBackplane redis;

    private final List<Consumer<String>> stopping = new CopyOnWriteArrayList<>();

    RedisSfuDirectory(RedisBackplane redis) {
        this.redis = redis;
        redis.onMessage((channel, workerId) -> {
            if (channel.equals(RedisKeys.sfuWorkerEvents())) {
                stopping.forEach(l -> l.accept(workerId));
            }
        });
        redis.subscribe(RedisKeys.sfuWorkerEvents());
    }

    @Override
    public void onWorkerStopping(Consumer<String> listener) {
        stopping.add(listener);
    }

    @Override
    public CompletionStage<WorkerRecord> workerFor(String room) {
        return redis.send(Request.cmd(Command.GET).arg(RedisKeys.roomSfuWorker(room)))
                .thenCompose(id -> id == null ? CompletableFuture.completedFuture(null) : worker(id.toString()))
                .thenCompose(w -> w != null ? CompletableFuture.completedFuture(w) : assign(room));
    }

    @Override
    public CompletionStage<WorkerRecord> currentWorker(String room) {
        return redis.send(Request.cmd(Command.GET).arg(RedisKeys.roomSfuWorker(room)))
                .thenCompose(id -> id == null ? CompletableFuture.completedFuture(null) : worker(id.toString()));
    }

    @Override
    public CompletionStage<Void> forget(String room, String workerId) {
        // Only drop the assignment if it still names the dead worker (another replica may have moved on already).
        return redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end return 1",
                List.of(RedisKeys.roomSfuWorker(room)), List.of(workerId)).thenApply(r -> null);
    }

    @Override
    public CompletionStage<Boolean> hasCapacity(String room) {
        return currentWorker(room).thenCompose(w -> w != null ? CompletableFuture.completedFuture(true)
                : leastLoaded(room).thenApply(best -> best != null));
    }

    @Override
    public CompletionStage<Void> release(String room) {
        return redis.send(Request.cmd(Command.DEL).arg(RedisKeys.roomSfuWorker(room))).thenApply(r -> null);
    }

    /** The live, non-draining worker with the fewest participants that may serve the room (shared, or dedicated to it); null if none. */
    private CompletionStage<WorkerRecord> leastLoaded(String room) {
        return redis.send(Request.cmd(Command.SMEMBERS).arg(RedisKeys.sfuWorkers())).thenCompose(ids -> {
            List<CompletableFuture<WorkerRecord>> all = new ArrayList<>();
            for (Response id : ids) {
                all.add(worker(id.toString()).toCompletableFuture());
            }
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v -> {
                WorkerRecord best = null;
                for (CompletableFuture<WorkerRecord> f : all) {
                    WorkerRecord w = f.join();
                    if (w != null && !w.draining() && (w.room() == null || w.room().equals(room))
                            && (best == null || w.participants() < best.participants())) {
                        best = w;
                    }
                }
                return best;
            });
        });
    }

    private CompletionStage<WorkerRecord> assign(String room) {
        return leastLoaded(room).thenApply(best -> {
            if (best == null) {
                throw new SfuUnavailable("no SFU worker is available for room \"" + room + "\"");
            }
            return best;
        }).thenCompose(best -> redis.send(Request.cmd(Command.SET).arg(RedisKeys.roomSfuWorker(room)).arg(best.id()).arg("NX"))
                .thenCompose(ok -> ok != null ? CompletableFuture.completedFuture(best) : currentWorker(room)
                        .thenApply(w -> w != null ? w : best)));
    }

    @Override
    public CompletionStage<WorkerRecord> worker(String id) {
        return redis.hgetall(RedisKeys.sfuWorker(id)).thenApply(h -> h.isEmpty() ? null : WorkerRecord.fromHash(h));
    }
}
