package io.webrtccluster.sfu.mixer;

/**
 * What a speaker contributes to a tick whose packet is missing: Opus in-band FEC from the next packet
 * when it is already buffered, else the decoder's own concealment, and after a few concealed frames in
 * a row silence (extrapolating longer than ~60 ms turns into a drone, and usually means the speaker
 * stopped sending rather than lost a packet).
 */
public final class Concealment {
    /** Consecutive concealed frames after which a speaker goes silent. */
    public static final int MAX_CONCEALED = 3;

    private final byte[] next = new byte[OpusEncoder.MAX_PACKET + 64];
    private int concealedInARow;

    public enum Outcome { FEC, PLC, SILENCE }

    /** Fills {@code out} for a lost frame. */
    public Outcome lost(JitterBuffer buffer, OpusDecoder decoder, short[] out) {
        concealedInARow++;
        int n = buffer.peekNext(next);
        if (n > 0 && decoder.decodeFec(next, n, out)) {
            return Outcome.FEC;
        }
        return conceal(decoder, out);
    }

    /** Fills {@code out} for a tick with no packet at all (buffer ran dry). */
    public Outcome empty(OpusDecoder decoder, short[] out) {
        concealedInARow++;
        return conceal(decoder, out);
    }

    public void received() {
        concealedInARow = 0;
    }

    /** True once the speaker has been concealed for longer than we extrapolate. */
    public boolean silent() {
        return concealedInARow > MAX_CONCEALED;
    }

    private Outcome conceal(OpusDecoder decoder, short[] out) {
        if (concealedInARow > MAX_CONCEALED) {
            java.util.Arrays.fill(out, 0, OpusDecoder.FRAME, (short) 0);
            return Outcome.SILENCE;
        }
        decoder.conceal(out);
        return Outcome.PLC;
    }
}
