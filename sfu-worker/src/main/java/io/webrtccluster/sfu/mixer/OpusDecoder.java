package io.webrtccluster.sfu.mixer;

import io.github.jaredmdobson.concentus.OpusException;

/**
 * One speaker's Opus decoder (Concentus, mono, 48 kHz): a packet, its loss concealment, or its
 * in-band FEC, always into one 20 ms frame. Garbage payloads return false instead of throwing, so
 * the caller counts them and conceals the frame.
 */
public final class OpusDecoder {
    public static final int SAMPLE_RATE = 48_000;
    public static final int FRAME = 960; // 20 ms

    private final io.github.jaredmdobson.concentus.OpusDecoder decoder;
    /** Room for the longest Opus packet (120 ms); we mix the first 20 ms of a longer one. */
    private final short[] scratch = new short[SAMPLE_RATE * 120 / 1000];

    public OpusDecoder() {
        try {
            decoder = new io.github.jaredmdobson.concentus.OpusDecoder(SAMPLE_RATE, 1);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Decodes a packet into {@code out[0..FRAME)}. @return false for a payload the decoder refuses (out is then silence) */
    public boolean decode(byte[] packet, int length, short[] out) {
        return run(packet, length, out, false);
    }

    /** Decodes the FEC copy of the previous frame carried in {@code nextPacket}; false if it has none. */
    public boolean decodeFec(byte[] nextPacket, int length, short[] out) {
        return run(nextPacket, length, out, true);
    }

    /** Opus packet loss concealment: extrapolates the last frames. */
    public void conceal(short[] out) {
        run(null, 0, out, false);
    }

    public void reset() {
        decoder.resetState();
    }

    private boolean run(byte[] packet, int length, short[] out, boolean fec) {
        int n;
        try {
            n = decoder.decode(packet, 0, length, scratch, 0, fec ? FRAME : scratch.length, fec);
        } catch (OpusException | RuntimeException e) {
            // Concentus throws on malformed input (and, being a port, sometimes with an index error)
            java.util.Arrays.fill(out, 0, FRAME, (short) 0);
            decoder.resetState();
            return false;
        }
        if (n <= 0) {
            java.util.Arrays.fill(out, 0, FRAME, (short) 0);
            return false;
        }
        int copy = Math.min(n, FRAME);
        System.arraycopy(scratch, 0, out, 0, copy);
        if (copy < FRAME) {
            java.util.Arrays.fill(out, copy, FRAME, (short) 0);
        }
        return true;
    }
}
