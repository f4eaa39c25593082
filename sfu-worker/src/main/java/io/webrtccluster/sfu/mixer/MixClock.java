package io.webrtccluster.sfu.mixer;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import org.jboss.logging.Logger;

/**
 * The worker's 20 ms mixing clock: one thread ticks every room mix on absolute deadlines (no drift from
 * scheduling delay). If a tick starts more than a frame late — the CPU is saturated — it skips the
 * missed frames rather than bursting to catch up, counts the overrun, and tells the mixes how many frames
 * it skipped (they drop as many from every speaker, so a starved moment costs audio, not lasting delay).
 * One thread, because the mixing of one worker process runs on its one core anyway; scale out with workers.
 */
public final class MixClock implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MixClock.class);
    public static final long FRAME_NANOS = 20_000_000;

    /** Something ticked every frame. */
    public interface Tickable {
        /** @param skippedFrames frames the clock skipped since the previous tick (it was starved of CPU) */
        void tick(long nowNanos, long skippedFrames);
    }

    private final CopyOnWriteArrayList<Tickable> mixes = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public MixClock() {
        thread = new Thread(this::run, "sfu-mixer");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    public void add(Tickable t) {
        mixes.add(t);
    }

    public void remove(Tickable t) {
        mixes.remove(t);
    }

    private void run() {
        long deadline = System.nanoTime() + FRAME_NANOS;
        long skipped = 0;
        while (running) {
            long wait;
            while ((wait = deadline - System.nanoTime()) > 0 && running) {
                LockSupport.parkNanos(wait);
            }
            long now = System.nanoTime();
            for (Tickable t : mixes) {
                try {
                    t.tick(now, skipped);
                } catch (RuntimeException e) {
                    LOG.warn("mix tick failed", e); // a bug, not bad input: bad input is counted in the mix
                }
            }
            deadline += FRAME_NANOS;
            skipped = 0;
            long late = System.nanoTime() - deadline;
            if (late > FRAME_NANOS) {
                skipped = late / FRAME_NANOS;
                deadline += skipped * FRAME_NANOS;
                MixerCounters.get().count(MixerCounters.Kind.TICK_OVERRUN);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000); // no tick may run into what its owner closes next (sockets, SRTP contexts)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
