package io.webrtccluster.signaling.admission;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/**
 * Sockets that ended without a close frame (tab killed, network gone). Normal on the internet and
 * thousands of them under churn, so they are a metric and one summary line per minute, not a WARN each.
 */
@Singleton
public class AbruptDisconnects {
    private static final Logger LOG = Logger.getLogger(AbruptDisconnects.class);
    static final long SUMMARY_EVERY_MS = 60_000;

    private final Counter total;
    private final AtomicLong sinceSummary = new AtomicLong();

    @Inject
    public AbruptDisconnects(MeterRegistry metrics, Vertx vertx) {
        this.total = Counter.builder("wrc_signaling_abrupt_disconnects_total")
                .description("signaling sockets that ended without a WebSocket close frame").register(metrics);
        vertx.setPeriodic(SUMMARY_EVERY_MS, id -> summarize());
    }

    public void record() {
        total.increment();
        sinceSummary.incrementAndGet();
    }

    private void summarize() {
        long n = sinceSummary.getAndSet(0);
        if (n > 0) {
            LOG.infof("%d signaling connection(s) ended without a close frame in the last %d s (joined ones keep their seat "
                    + "for the presence TTL); total: wrc_signaling_abrupt_disconnects_total", n, SUMMARY_EVERY_MS / 1000);
        }
    }
}
