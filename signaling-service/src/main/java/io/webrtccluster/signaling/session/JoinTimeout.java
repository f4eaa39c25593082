package io.webrtccluster.signaling.session;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.vertx.core.Vertx;
import io.webrtccluster.signaling.config.SignalingConfig;

/**
 * Closes connections that never ask to join: an open socket costs a descriptor whether or not it is in a
 * room, so one that idles before joining is held only for {@code wrc.limits.join-timeout}.
 */
@Singleton
class JoinTimeout {
    private final Vertx vertx;
    private final Duration timeout;

    @Inject
    JoinTimeout(Vertx vertx, SignalingConfig config) {
        this.vertx = vertx;
        this.timeout = config.limits().joinTimeout();
    }

    /** Starts the clock for a new connection; the returned id cancels it. */
    long arm(PeerSession session) {
        return vertx.setTimer(Math.max(1, timeout.toMillis()), id -> session.joinTimedOut(timeout));
    }

    void cancel(long timer) {
        vertx.cancelTimer(timer);
    }
}
