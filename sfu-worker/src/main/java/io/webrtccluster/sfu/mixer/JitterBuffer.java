package io.webrtccluster.sfu.mixer;

/**
 * One speaker's packets, reordered by sequence number and played out one 20 ms frame per mixer tick.
 *
 * <p>Playout never waits for a fixed depth: a tick takes the next expected packet if it is there; if two
 * newer ones are there instead, the expected one is lost (the caller conceals it, with FEC from the
 * next packet when it has any); if nothing or only one newer packet is there the buffer ran dry (jitter,
 * reordering, or the speaker stopped) and playout does not advance, so after a late arrival the stream
 * simply plays one tick later. That adapts the delay to the arrival phase with no tuning, and {@link #maxDepth} caps it: a
 * speaker that floods, or whose clock runs fast, loses its oldest frames instead of adding delay.
 * A packet far away from where playout is (a restarted sender, a garbage sequence number) restarts
 * the buffer there instead of being read as thousands of losses.
 *
 * <p>Offered from the UDP thread, polled from the mixer thread: the methods are synchronized.
 */
public final class JitterBuffer {
    /** What a tick got. */
    public enum Play { PACKET, LOST, EMPTY }

    /** What happened to an offered packet. */
    public enum Arrival { QUEUED, LATE, DUPLICATE, RESYNC, OVERFLOW }

    /** Sequence distance beyond which a packet is a restart rather than loss or reordering. */
    static final int RESYNC_DISTANCE = 500;
    static final int SLOTS = 64;
    /** A missing packet is lost once this many newer ones have arrived; before that it may be reordered. */
    static final int REORDER_FRAMES = 2;
    /** Extended sequence numbers start here, so that going back across a wrap never makes them negative. */
    private static final long EPOCH = 1L << 32;

    private final int maxDepth;
    private final int maxPayload;
    private final byte[][] payloads = new byte[SLOTS][];
    private final int[] lengths = new int[SLOTS];
    private final long[] seqs = new long[SLOTS];
    private final long[] arrivals = new long[SLOTS];
    private final int[] levels = new int[SLOTS];
    private boolean started;
    private long next;        // extended sequence number playout expects
    private long highest;     // highest extended sequence number received
    private int depth;        // packets held
    static final int TRIM_WINDOW = 10; // polls (200 ms)
    private int pollsInWindow;
    private int minDepthInWindow = Integer.MAX_VALUE;
    private long trimmed;

    // the result of the last poll
    private final byte[] played;
    private int playedLength;
    private long playedArrivalNanos;
    private int playedLevel;

    public JitterBuffer(int maxDepth, int maxPayload) {
        if (maxDepth < 1 || maxDepth >= SLOTS) {
            throw new IllegalArgumentException("maxDepth must be within 1.." + (SLOTS - 1));
        }
        this.maxDepth = maxDepth;
        this.maxPayload = maxPayload;
        this.played = new byte[maxPayload];
        for (int i = 0; i < SLOTS; i++) {
            payloads[i] = new byte[maxPayload];
            seqs[i] = -1;
        }
    }

    /** @param level the packet's audio level ({@link AudioLevel#read}), handed back when it is played */
    public synchronized Arrival offer(int sequenceNumber, byte[] b, int off, int len, int level, long arrivalNanos) {
        if (len > maxPayload) {
            len = maxPayload; // Opus packets are < 1275 bytes; anything longer is garbage the decoder will refuse
        }
        Arrival outcome = Arrival.QUEUED;
        long seq;
        if (!started) {
            seq = EPOCH + sequenceNumber;
            start(seq);
        } else {
            seq = extend(sequenceNumber);
            if (Math.abs(seq - next) > RESYNC_DISTANCE) {
                clear();
                start(seq);
                outcome = Arrival.RESYNC;
            } else if (seq < next) {
                return Arrival.LATE;
            }
        }
        int slot = (int) (seq % SLOTS);
        if (seqs[slot] == seq) {
            return Arrival.DUPLICATE;
        }
        if (seq >= next + SLOTS) {
            // further ahead than the ring holds: skip playout forward rather than overwrite unplayed slots
            skipTo(seq - maxDepth + 1);
            outcome = Arrival.OVERFLOW;
        }
        if (seqs[slot] >= 0) {
            depth--; // an older, never played packet in this slot (only after a skip)
        }
        System.arraycopy(b, off, payloads[slot], 0, len);
        lengths[slot] = len;
        seqs[slot] = seq;
        arrivals[slot] = arrivalNanos;
        levels[slot] = level;
        depth++;
        highest = Math.max(highest, seq);
        if (highest - next + 1 > maxDepth) {
            skipTo(highest - maxDepth + 1);
            outcome = outcome == Arrival.RESYNC ? outcome : Arrival.OVERFLOW;
        }
        return outcome;
    }

    /** Takes the frame for this tick; for {@link Play#PACKET} the bytes are in {@link #played()}. */
    public synchronized Play poll() {
        trimIfPersistentlyDeep();
        if (!started || depth == 0) {
            return Play.EMPTY;
        }
        int slot = (int) (next % SLOTS);
        if (seqs[slot] == next) {
            System.arraycopy(payloads[slot], 0, played, 0, lengths[slot]);
            playedLength = lengths[slot];
            playedArrivalNanos = arrivals[slot];
            playedLevel = levels[slot];
            seqs[slot] = -1;
            depth--;
            next++;
            return Play.PACKET;
        }
        if (highest - next >= REORDER_FRAMES) {
            next++; // two newer packets are here: this one is lost, or later than we wait for
            return Play.LOST;
        }
        return Play.EMPTY; // only the next one is here: this one may just be reordered, wait a frame
    }

    /**
     * After {@link Play#LOST}: the next packet, if it is already here, copied into {@code out} (for Opus
     * in-band FEC, which carries a low-bitrate copy of the previous frame). Returns its length or -1.
     */
    public synchronized int peekNext(byte[] out) {
        int slot = (int) (next % SLOTS);
        if (seqs[slot] != next) {
            return -1;
        }
        System.arraycopy(payloads[slot], 0, out, 0, lengths[slot]);
        return lengths[slot];
    }

    public byte[] played() {
        return played;
    }

    public int playedLength() {
        return playedLength;
    }

    /** When the played packet arrived (System.nanoTime of its receive call). */
    public long playedArrivalNanos() {
        return playedArrivalNanos;
    }

    /** The played packet's audio level. */
    public int playedLevel() {
        return playedLevel;
    }

    public synchronized int depth() {
        return depth;
    }

    public synchronized void clear() {
        for (int i = 0; i < SLOTS; i++) {
            seqs[i] = -1;
        }
        depth = 0;
        started = false;
    }

    /**
     * One late burst makes playout a frame later for good; if the buffer never ran below two frames for
     * 200 ms, that delay is no longer needed and one frame is dropped (a 20 ms skip at most five times a
     * second, and only while arrivals are steady, against a permanently longer mouth-to-ear delay).
     */
    private void trimIfPersistentlyDeep() {
        minDepthInWindow = Math.min(minDepthInWindow, depth);
        if (++pollsInWindow < TRIM_WINDOW) {
            return;
        }
        if (minDepthInWindow >= 2) {
            skipTo(next + 1);
            trimmed++;
        }
        pollsInWindow = 0;
        minDepthInWindow = Integer.MAX_VALUE;
    }

    /** Frames dropped to shrink a delay no longer needed. */
    public synchronized long trimmed() {
        return trimmed;
    }

    private void start(long seq) {
        started = true;
        next = seq;
        highest = seq;
    }

    private void skipTo(long seq) {
        while (next < seq) {
            int slot = (int) (next % SLOTS);
            if (seqs[slot] == next) {
                seqs[slot] = -1;
                depth--;
            }
            next++;
        }
    }

    /** The 16-bit sequence number as a number that keeps growing across wrap-arounds, nearest to playout. */
    private long extend(int seq16) {
        long base = next;
        long candidate = (base & ~0xffffL) | seq16;
        if (candidate < base - 0x8000) {
            candidate += 0x10000;
        } else if (candidate > base + 0x8000) {
            candidate -= 0x10000;
        }
        return candidate;
    }
}
