package io.webrtccluster.signaling.sfu;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.contracts.sfu.ParticipantTransport;
import io.webrtccluster.signaling.protocol.Messages;
import io.webrtccluster.signaling.redis.Backends;
import io.webrtccluster.signaling.relay.Relay;

/**
 * The SFU branch of signaling: opens, answers and closes participants' transports on the room's
 * worker. The worker is the offerer; its offers reach the browser through the participant's inbox
 * (the worker writes them there itself when it has Redis, otherwise we do).
 */
@ApplicationScoped
public class SfuBridge {
    private final SfuDirectory directory;
    private final SfuClient client = new SfuClient();
    private final Relay relay;

    @Inject
    public SfuBridge(Backends backends, Relay relay) {
        // Workers register in Redis and push renegotiation offers into participants' inboxes there; without
        // Redis there is no SFU (bin/run --sfu starts a local Redis and worker).
        this.directory = backends.redis().<SfuDirectory>map(RedisSfuDirectory::new).orElse(null);
        this.relay = relay;
    }

    /** SFU rooms need the worker registry in Redis. */
    public boolean available() {
        return directory != null;
    }

    /** Opens (or re-opens) the participant's transport; its offer goes to the participant's inbox. Completes with the worker id. */
    public CompletionStage<String> open(String room, String participantId, boolean simulcast) {
        return open(room, participantId, simulcast, Topology.SFU, RoomPolicy.DEFAULT_MIXER_SPEAKERS);
    }

    /** As {@link #open(String, String, boolean)}; an MCU room's transports receive the worker's audio mix. */
    public CompletionStage<String> open(String room, String participantId, boolean simulcast, Topology topology,
                                        int mixerSpeakers) {
        boolean mcu = topology == Topology.MCU;
        if (directory == null) {
            return CompletableFuture.failedFuture(new SfuUnavailable("SFU rooms need wrc.redis.url and a running sfu-worker (locally: bin/run --sfu)"));
        }
        return directory.workerFor(room).thenCompose(w -> client.close(w.controlUrl(), room, participantId)
                .exceptionally(e -> null)
                .thenCompose(v -> client.create(w.controlUrl(), room, participantId, simulcast, mcu ? "mcu" : "sfu",
                        mcu ? mixerSpeakers : null)))
                .thenCompose(t -> forward(room, participantId, t).thenApply(v -> t.workerId()));
    }

    public CompletionStage<Void> answer(String room, String participantId, String sdp, long version) {
        if (directory == null) {
            return CompletableFuture.failedFuture(new SfuUnavailable("no SFU in this deployment"));
        }
        return directory.currentWorker(room).thenCompose(w -> {
            if (w == null) {
                throw new SfuUnavailable("the room's SFU worker is gone");
            }
            return client.answer(w.controlUrl(), room, participantId, sdp, version);
        }).thenCompose(t -> forward(room, participantId, t));
    }

    /** The id of the room's worker now, or null (what a resumed session's transport lives on). */
    public CompletionStage<String> currentWorkerId(String room) {
        if (directory == null) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.currentWorker(room).thenApply(w -> w == null ? null : w.id());
    }

    public CompletionStage<Void> close(String room, String participantId) {
        if (directory == null) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.currentWorker(room).thenCompose(w -> w == null ? CompletableFuture.completedFuture(null)
                : client.close(w.controlUrl(), room, participantId));
    }

    /**
     * Routes the room's audio on its worker: a step of a live switch between SFU ("forwarded") and MCU
     * ("mixed"), through "both" while clients change over. Completes when the worker has sent the offers.
     */
    public CompletionStage<Void> routeAudio(String room, String mode, int mixerSpeakers) {
        if (directory == null) {
            return CompletableFuture.failedFuture(new SfuUnavailable("no SFU in this deployment"));
        }
        return directory.currentWorker(room).thenCompose(w -> {
            if (w == null) {
                throw new SfuUnavailable("the room has no SFU worker");
            }
            return client.audio(w.controlUrl(), room, mode, mixerSpeakers);
        });
    }

    /** Whether a worker could take the room now. */
    public CompletionStage<Boolean> hasCapacity(String room) {
        return directory == null ? CompletableFuture.completedFuture(false) : directory.hasCapacity(room);
    }

    /** The room left the SFU: close every participant's transport on its worker, and let the next switch up place it anew. */
    public CompletionStage<Void> closeRoom(String room, java.util.List<String> participantIds) {
        if (directory == null) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.currentWorker(room).thenCompose(w -> {
            if (w == null) {
                return CompletableFuture.<Void>completedFuture(null);
            }
            CompletableFuture<?>[] all = participantIds.stream()
                    .map(id -> client.close(w.controlUrl(), room, id).toCompletableFuture().exceptionally(e -> null))
                    .toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(all);
        }).thenCompose(v -> directory.release(room));
    }

    /**
     * Whether the worker still serves: registered, not draining, and its control port not refusing connections
     * (a killed worker's registration outlives it by up to its TTL; the refused connection tells at once).
     */
    public CompletionStage<Boolean> serving(String workerId) {
        if (directory == null) {
            return CompletableFuture.completedFuture(false);
        }
        return directory.worker(workerId)
                .thenCompose(w -> w == null || w.draining() ? CompletableFuture.completedFuture(false) : client.listening(w.controlUrl()));
    }

    /** Drops the room's assignment to a worker that stopped serving, so the next {@link #open} picks another one. */
    public CompletionStage<Void> forget(String room, String workerId) {
        return directory == null ? CompletableFuture.completedFuture(null) : directory.forget(room, workerId);
    }

    /** Calls {@code listener} with a worker's id as soon as it announces that it stops, before its registration expires. */
    public void onWorkerStopping(java.util.function.Consumer<String> listener) {
        if (directory != null) {
            directory.onWorkerStopping(listener);
        }
    }

    /** Closes the participant's transport on a worker it moved away from (a draining one then exits sooner); best effort. */
    public CompletionStage<Void> closeOn(String workerId, String room, String participantId) {
        if (directory == null) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.worker(workerId).thenCompose(w -> w == null ? CompletableFuture.<Void>completedFuture(null)
                : client.close(w.controlUrl(), room, participantId)).exceptionally(e -> null);
    }

    private CompletionStage<Void> forward(String room, String participantId, ParticipantTransport t) {
        if (t.offer() == null || t.delivered()) {
            return CompletableFuture.completedFuture(null);
        }
        String json = Messages.JSON.createObjectNode().put("type", "offer").put("from", t.offer().from())
                .put("sdp", t.offer().sdp()).put("version", t.offer().version()).toString();
        return relay.deliver(room, participantId, json).thenApply(seq -> null);
    }
}
