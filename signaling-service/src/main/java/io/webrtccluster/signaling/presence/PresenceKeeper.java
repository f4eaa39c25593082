package io.webrtccluster.signaling.presence;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.webrtccluster.signaling.config.SignalingConfig;
import io.webrtccluster.signaling.protocol.Messages;
import io.webrtccluster.signaling.relay.Relay;
import io.webrtccluster.signaling.room.Member;
import io.webrtccluster.signaling.room.RoomStore;
import io.webrtccluster.signaling.session.LocalSessions;
import io.webrtccluster.signaling.sfu.SfuBridge;
import io.webrtccluster.signaling.session.SessionContext;
import io.webrtccluster.signaling.topology.TopologyCoordinator;
import io.webrtccluster.signaling.topology.TopologyEvent;

/**
 * Presence: every replica heart-beats the sessions it holds; one replica at a time (a lease) removes
 * members nobody heart-beats any more and tells their rooms. A client whose replica died keeps its seat
 * for the presence TTL, long enough to reconnect elsewhere and resume without peers noticing.
 */
@ApplicationScoped
public class PresenceKeeper {
    private static final Logger LOG = Logger.getLogger(PresenceKeeper.class);

    @Inject
    Vertx vertx;
    @Inject
    RoomStore store;
    @Inject
    Relay relay;
    @Inject
    LocalSessions locals;
    @Inject
    SessionContext ctx;
    @Inject
    SignalingConfig config;
    @Inject
    SfuBridge sfu;
    @Inject
    TopologyCoordinator topology;

    private volatile boolean beating;
    private volatile boolean reaping;

    void start(@Observes StartupEvent e) {
        long every = config.presence().heartbeat().toMillis();
        vertx.setPeriodic(every, t -> beat());
        vertx.setPeriodic(every, t -> reap());
    }

    private void beat() {
        if (beating || locals.size() == 0) {
            return;
        }
        beating = true;
        store.heartbeat(locals.records()).whenComplete((v, err) -> {
            beating = false;
            if (err != null) {
                LOG.debugf("heartbeat failed: %s", err.getMessage());
            }
        });
    }

    private void reap() {
        if (reaping) {
            return;
        }
        reaping = true;
        long ttl = config.presence().ttl().toMillis();
        store.holdReaperLease(ctx.replicaId(), config.presence().heartbeat().toMillis() * 3)
                .thenCompose(held -> held ? store.activeRooms() : CompletableFuture.completedFuture(List.<String>of()))
                .thenCompose(rooms -> {
                    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                    long cutoff = System.currentTimeMillis() - ttl;
                    for (String room : rooms) {
                        chain = chain.thenCompose(v -> reapRoom(room, cutoff).toCompletableFuture());
                    }
                    return chain;
                })
                .whenComplete((v, err) -> {
                    reaping = false;
                    if (err != null) {
                        LOG.debugf("presence reaper failed: %s", err.getMessage());
                    }
                });
    }

    private CompletionStage<Void> reapRoom(String room, long cutoff) {
        return store.reapExpired(room, cutoff).thenCompose(gone -> {
            if (gone.isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            LOG.infof("room %s: %d participant(s) timed out: %s", room, gone.size(), gone.stream().map(Member::id).toList());
            gone.forEach(g -> sfu.close(room, g.id()).exceptionally(e -> null)); // no-op unless the room runs on an SFU
            return store.members(room).thenCompose(rest -> {
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                for (Member g : gone) {
                    for (Member m : rest) {
                        chain = chain.thenCompose(v -> relay.deliver(room, m.id(), Messages.participantLeft(g.id(), "timeout"))
                                .thenApply(x -> (Void) null).toCompletableFuture());
                    }
                }
                return chain.thenCompose(v -> store.publishParticipants(room, rest.size()))
                        .thenCompose(v -> topology.evaluate(room, TopologyEvent.LEAVE));
            });
        });
    }
}
