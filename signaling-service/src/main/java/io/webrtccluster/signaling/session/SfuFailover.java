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
 * Notices dead SFU workers: every couple of seconds, for each SFU room this replica holds sessions
 * in, checks that the room's worker still heart-beats. When it stopped, its clients are told
 * ({@code sfu-reset}) and get a transport on another worker; sessions whose transport could not be
 * opened are retried here too, so nothing waits forever on a worker that is not coming back.
 */
@ApplicationScoped
public class SfuFailover {
    private static final Logger LOG = Logger.getLogger(SfuFailover.class);
    private static final long EVERY_MS = 2000;

    @Inject
    Vertx vertx;
    @Inject
    LocalSessions locals;
    @Inject
    SfuBridge sfu;

    private volatile boolean checking;

    void start(@Observes StartupEvent e) {
        if (sfu.available()) {
            vertx.setPeriodic(EVERY_MS, t -> check());
        }
    }

    private void check() {
        if (checking) {
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
        Map<String, CompletableFuture<Boolean>> aliveByWorker = new HashMap<>();
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
                return aliveByWorker.computeIfAbsent(worker, w -> sfu.alive(s.roomId(), w).toCompletableFuture())
                        .thenCompose(alive -> {
                            if (alive) {
                                return CompletableFuture.completedFuture(null);
                            }
                            LOG.infof("room %s: SFU worker %s is gone; moving %s to another", s.roomId(), worker,
                                    s.record().member().id());
                            return s.sfuLost().toCompletableFuture();
                        });
            }).exceptionally(e -> null);
        }
        chain.whenComplete((v, e) -> checking = false);
    }
}
