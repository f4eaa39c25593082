package io.webrtccluster.sfu.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the worker adds to each forwarded packet: from the datagram leaving the socket's receive call
 * to the subscriber's copy being handed to the send call (decrypt, route, rewrite, encrypt, send).
 * Fixed 5 µs buckets up to 50 ms; read and reset by the benchmark.
 */
public final class ForwardingLatency {
    private final long BUCKET_NS;
    private final int BUCKETS;
    private final AtomicLongArray counts;

    public ForwardingLatency() {
        this(5_000, 10_000);
    }

    /** Another resolution: e.g. the mixer's added delay, which is tens of milliseconds, in 100 µs buckets. */
    public ForwardingLatency(long bucketNanos, int buckets) {
        this.BUCKET_NS = bucketNanos;
        this.BUCKETS = buckets;
        this.counts = new AtomicLongArray(buckets + 1);
    }

    public void record(long nanos) {
        counts.incrementAndGet((int) Math.min(BUCKETS, Math.max(0, nanos / BUCKET_NS)));
    }

    public record Snapshot(long packets, double p50Micros, double p99Micros, double maxMicros) {
    }

    public Snapshot snapshot(boolean reset) {
        long[] c = new long[BUCKETS + 1];
        long total = 0;
        for (int i = 0; i <= BUCKETS; i++) {
            c[i] = reset ? counts.getAndSet(i, 0) : counts.get(i);
            total += c[i];
        }
        return new Snapshot(total, percentile(c, total, 0.50), percentile(c, total, 0.99), percentile(c, total, 1.0));
    }

    private double percentile(long[] c, long total, double p) {
        if (total == 0) {
            return -1;
        }
        long want = (long) Math.ceil(p * total);
        long acc = 0;
        for (int i = 0; i < c.length; i++) {
            acc += c[i];
            if (acc >= want) {
                return (i + 1) * BUCKET_NS / 1000.0;
            }
        }
        return BUCKETS * BUCKET_NS / 1000.0;
    }
}
