package io.webrtccluster.signaling.admission;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed authentications (join tokens that do not verify, wrong API keys) per client address: a token
 * bucket of {@code perMinute} failures that refills at that rate. An address with an empty bucket is
 * refused before its credentials are even checked, so guessing costs a minute per {@code perMinute} tries.
 */
public final class AuthFailures {
    private static final long MINUTE = 60_000_000_000L;
    /** Above this many tracked addresses, those whose bucket has refilled are forgotten. */
    private static final int PURGE_ABOVE = 10_000;

    private final int perMinute;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private record Bucket(double failuresLeft, long at) {
    }

    public AuthFailures(int perMinute, LongSupplier nanoTime) {
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** Null when {@code address} may try again now, else how long until it may. */
    public Duration retryAfter(String address) {
        Bucket b = buckets.get(address);
        if (b == null) {
            return null;
        }
        double left = refilled(b, nanoTime.getAsLong());
        if (left >= 1) {
            return null;
        }
        return Duration.ofNanos((long) Math.ceil((1 - left) * MINUTE / perMinute));
    }

    public void failed(String address) {
        long now = nanoTime.getAsLong();
        buckets.compute(address, (a, b) -> new Bucket(Math.max(0, (b == null ? perMinute : refilled(b, now)) - 1), now));
        if (buckets.size() > PURGE_ABOVE) {
            buckets.entrySet().removeIf(e -> refilled(e.getValue(), now) >= perMinute);
        }
    }

    private double refilled(Bucket b, long now) {
        return Math.min(perMinute, b.failuresLeft() + (now - b.at()) * (double) perMinute / MINUTE);
    }

    public int perMinute() {
        return perMinute;
    }
}
