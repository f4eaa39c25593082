package io.webrtccluster.signaling.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.webrtccluster.signaling.sfu.SfuBridge;

/**
 * Notices dead SFU workers: every second, and at once when a worker announces that it stops, for each
 * SFU room this replica holds sessions in, checks that the room's worker still heart-beats, is not draining and
 * still listens (a killed worker refuses connections before its registration expires). When it stopped, its clients are told
 * ({@code sfu-reset}) and get a transport on another worker; sessions whose transport could not be
 * opened are retried here too, so nothing waits forever on a worker that is not coming back.
 */
@ApplicationScoped
public class SfuFailover {
    private static final Logger LOG = Logger.getLogger(SfuFailover.class);
    // A killed worker is noticed within this (refused connection) or, if unreachable, when its registration expires.
    private static final long EVERY_MS = 1000;

    @Inject
    Vertx vertx;
    @Inject
    LocalSessions locals;
    @Inject
    SfuBridge sfu;

    private volatile boolean checking;
    private volatile boolean again;

    void start(@Observes StartupEvent e) {
        if (sfu.available()) {
            vertx.setPeriodic(EVERY_MS, t -> check());
            sfu.onWorkerStopping(worker -> vertx.runOnContext(v -> check()));
        }
    }

    private void check() {
        if (checking) {
            again = true; // an announcement during a check must not wait for the next tick
            return;
        }
        List<PeerSession> sessions = new ArrayList<>();
        for (PeerSession s : locals.joined()) {
            if (s.isSfu()) {
                sessions.add(s);
            }
        }
        if (sessions.isEmpty()) {
            return;
        }
        checking = true;
        // One probe per worker; one forget per room (every room of a dead worker, not only the first one seen).
        Map<String, CompletableFuture<Boolean>> servingByWorker = new HashMap<>();
        Map<String, CompletableFuture<Void>> forgotten = new HashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (PeerSession s : sessions) {
            String worker = s.sfuWorkerId();
            chain = chain.thenCompose(v -> {
                if (!s.sfuOpen()) {
                    return s.openSfu().toCompletableFuture();
                }
                if (worker == null) {
                    return CompletableFuture.completedFuture(null);
                }
                return servingByWorker.computeIfAbsent(worker, w -> sfu.serving(w).toCompletableFuture())
                        .thenCompose(alive -> alive ? CompletableFuture.completedFuture(true)
                                : forgotten.computeIfAbsent(s.roomId() + "\n" + worker,
                                        k -> sfu.forget(s.roomId(), worker).toCompletableFuture()).thenApply(x -> false))
                        .thenCompose(alive -> {
                            if (alive) {
                                return CompletableFuture.completedFuture(null);
                            }
                            String id = s.record().member().id();
                            LOG.infof("room %s: SFU worker %s is gone or draining; moving %s to another", s.roomId(), worker, id);
                            sfu.closeOn(worker, s.roomId(), id); // a draining worker exits once its participants left
                            return s.sfuLost().toCompletableFuture();
                        });
            }).exceptionally(e -> null);
        }
        chain.whenComplete((v, e) -> vertx.runOnContext(x -> {
            checking = false;
            if (again) {
                again = false;
                check();
            }
        }));
    }
}
