package io.webrtccluster.signaling.session;

/** Token bucket per connection: {@code rate} messages per second sustained, {@code burst} on top. Not thread-safe (one connection, serial inbound). */
final class RateLimiter {
    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long last;

    RateLimiter(int perSecond, int burst) {
        this.ratePerNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
