package io.webrtccluster.signaling.admission;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.UnixOperatingSystemMXBean;

/**
 * How many signaling sockets are open, per client address and in all. The replica cap stays below the
 * process's descriptor limit, so when it is reached the health probes, Redis and plain HTTP still get
 * descriptors; the per-address cap stops one client from taking the replica's whole share.
 */
public final class ConnectionLimits {
    /** Why a new connection was refused. */
    public enum Refusal { ADDRESS_FULL, REPLICA_FULL }

    private final int perReplica;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();

    public ConnectionLimits(int perReplica, int perAddress) {
        this.perReplica = perReplica;
        this.perAddress = perAddress;
    }

    /** The default replica cap: the descriptor limit ({@code ulimit -n}) minus what the rest of the process needs. */
    public static int fromDescriptorLimit(int reserved) {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 4096;
        return (int) Math.max(16, Math.min(Integer.MAX_VALUE, limit - reserved));
    }

    /** Counts a new connection from {@code address}, or says why it may not open; a refused one is not counted. */
    public Refusal tryOpen(String address) {
        if (open.incrementAndGet() > perReplica) {
            open.decrementAndGet();
            return Refusal.REPLICA_FULL;
        }
        boolean[] admitted = {false};
        byAddress.compute(address, (a, n) -> {
            int count = n == null ? 0 : n;
            admitted[0] = count < perAddress;
            return admitted[0] ? count + 1 : n;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return Refusal.ADDRESS_FULL;
        }
        return null;
    }

    /** A counted connection closed. */
    public void closed(String address) {
        open.decrementAndGet();
        byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1); // an address with no sockets costs no memory
    }

    public int open() {
        return open.get();
    }

    public int perReplica() {
        return perReplica;
    }

    public int perAddress() {
        return perAddress;
    }
}
