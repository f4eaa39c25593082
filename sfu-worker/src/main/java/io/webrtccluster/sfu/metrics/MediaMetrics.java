package io.webrtccluster.sfu.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Packet-path counters. The media threads bump plain adders (no registry lookups per packet); the
 * Micrometer meters read them when Prometheus scrapes.
 */
public final class MediaMetrics {
    private static final MediaMetrics INSTANCE = new MediaMetrics();

    final LongAdder packetsIn = new LongAdder();
    final LongAdder bytesIn = new LongAdder();
    final LongAdder packetsOut = new LongAdder();
    final LongAdder bytesOut = new LongAdder();
    final LongAdder nacksReceived = new LongAdder();
    final LongAdder nacksSent = new LongAdder();
    final LongAdder retransmitted = new LongAdder();
    final LongAdder plisSent = new LongAdder();
    final java.util.Map<String, LongAdder> dropped = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile double lastRttMs;
    private volatile double lastLoss;
    private final DoubleAdder lossSum = new DoubleAdder();

    private final ForwardingLatency forwarding = new ForwardingLatency();

    /** Mouth-to-ear delay the mixer adds: a speaker's packet received → the mix containing it sent (100 µs buckets up to 1 s). */
    private final ForwardingLatency mixing = new ForwardingLatency(100_000, 10_000);

    public ForwardingLatency forwarding() {
        return forwarding;
    }

    public ForwardingLatency mixing() {
        return mixing;
    }

    public static MediaMetrics get() {
        return INSTANCE;
    }

    public void received(int bytes) {
        packetsIn.increment();
        bytesIn.add(bytes);
    }

    public void sent(int bytes) {
        packetsOut.increment();
        bytesOut.add(bytes);
    }

    public void nackReceived(int n) {
        nacksReceived.add(n);
    }

    public void nackSent(int n) {
        nacksSent.add(n);
    }

    public void retransmitted() {
        retransmitted.increment();
    }

    public void pliSent() {
        plisSent.increment();
    }

    public void rtt(double ms) {
        lastRttMs = ms;
    }

    public void loss(double fraction) {
        lastLoss = fraction;
        lossSum.add(fraction);
    }

    public void dropped(String reason) {
        dropped.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public long packetsOut() {
        return packetsOut.sum();
    }

    public long packetsIn() {
        return packetsIn.sum();
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public void bind(MeterRegistry r) {
        r.more().counter("wrc.sfu.rtp.packets.in", java.util.List.of(), packetsIn, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.rtp.bytes.in", java.util.List.of(), bytesIn, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.rtp.packets.out", java.util.List.of(), packetsOut, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.rtp.bytes.out", java.util.List.of(), bytesOut, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.nacks.received", java.util.List.of(), nacksReceived, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.nacks.sent", java.util.List.of(), nacksSent, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.retransmissions", java.util.List.of(), retransmitted, LongAdder::doubleValue);
        r.more().counter("wrc.sfu.plis.sent", java.util.List.of(), plisSent, LongAdder::doubleValue);
        for (io.webrtccluster.sfu.mixer.MixerCounters.Kind k : io.webrtccluster.sfu.mixer.MixerCounters.Kind.values()) {
            r.more().counter("wrc.sfu.mixer.events", java.util.List.of(io.micrometer.core.instrument.Tag.of("kind", k.label)),
                    k, kind -> io.webrtccluster.sfu.mixer.MixerCounters.get().value(kind));
        }
        r.gauge("wrc.sfu.rtt.ms", this, m -> m.lastRttMs);
        r.gauge("wrc.sfu.loss.fraction", this, m -> m.lastLoss);
        for (String reason : java.util.List.of("unknown-address", "stun-bad-integrity", "stun-unknown-ufrag", "stun-malformed",
                "srtp-auth", "srtcp-auth", "unknown-protocol", "error")) {
            LongAdder a = dropped.computeIfAbsent(reason, k -> new LongAdder());
            r.more().counter("wrc.sfu.datagrams.dropped", java.util.List.of(io.micrometer.core.instrument.Tag.of("reason", reason)),
                    a, LongAdder::doubleValue);
        }
    }
}
