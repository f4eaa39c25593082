package io.webrtccluster.sfu.mixer;

import java.security.SecureRandom;

/**
 * The RTP numbering of one listener's mixed audio: its own SSRC, and a sequence number and timestamp
 * that advance by one packet and 20 ms per frame sent, whichever encoder (the shared mix or this
 * listener's mix-minus) produced the frame and whoever is speaking. A tick with nothing to send
 * (a silent room) still advances the timestamp, as a sender using DTX would, so the listener's jitter
 * buffer sees the real gap in time but no sequence gap (no false losses).
 */
public final class MixedStream {
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int HEADER = 12;

    private final long ssrc;
    private final int payloadType;
    private int sequence = RANDOM.nextInt(0x8000);
    private long timestamp = RANDOM.nextInt() & 0x7fffffffL;
    private boolean talkspurtStart = true;
    private long packets;
    private long octets;
    private long lastTimestamp;
    private long lastSentMs;

    public MixedStream(long ssrc, int payloadType) {
        this.ssrc = ssrc;
        this.payloadType = payloadType;
    }

    /**
     * Writes the RTP packet for this frame into {@code out}: header, CSRC list (the mixed speakers'
     * synchronisation sources, RFC 3550 §7.1) and payload. Returns its length.
     */
    public int write(byte[] out, byte[] payload, int payloadLength, long[] csrcs, int csrcCount, long nowMs) {
        int cc = Math.min(15, csrcCount);
        out[0] = (byte) (0x80 | cc);
        out[1] = (byte) ((talkspurtStart ? 0x80 : 0) | payloadType);
        out[2] = (byte) (sequence >> 8);
        out[3] = (byte) sequence;
        putU32(out, 4, timestamp);
        putU32(out, 8, ssrc);
        int off = HEADER;
        for (int i = 0; i < cc; i++, off += 4) {
            putU32(out, off, csrcs[i]);
        }
        System.arraycopy(payload, 0, out, off, payloadLength);
        talkspurtStart = false;
        lastTimestamp = timestamp;
        lastSentMs = nowMs;
        sequence = (sequence + 1) & 0xffff;
        timestamp = (timestamp + OpusDecoder.FRAME) & 0xffffffffL;
        packets++;
        octets += payloadLength;
        return off + payloadLength;
    }

    /** A tick with nothing sent: time moves on, the sequence does not; the next packet starts a talkspurt. */
    public void skip() {
        timestamp = (timestamp + OpusDecoder.FRAME) & 0xffffffffL;
        talkspurtStart = true;
    }

    public long ssrc() {
        return ssrc;
    }

    public int sequence() {
        return sequence;
    }

    public long timestamp() {
        return timestamp;
    }

    public long packets() {
        return packets;
    }

    public long octets() {
        return octets;
    }

    /** The RTP timestamp that corresponds to {@code nowMs}, for sender reports; -1 before the first packet. */
    public long timestampAt(long nowMs) {
        if (packets == 0) {
            return -1;
        }
        return (lastTimestamp + (nowMs - lastSentMs) * (OpusDecoder.SAMPLE_RATE / 1000)) & 0xffffffffL;
    }

    private static void putU32(byte[] b, int o, long v) {
        b[o] = (byte) (v >> 24);
        b[o + 1] = (byte) (v >> 16);
        b[o + 2] = (byte) (v >> 8);
        b[o + 3] = (byte) v;
    }
}
