package io.webrtccluster.sfu.mixer;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * One mixed stream's Opus encoder (Concentus, mono, 48 kHz, 20 ms frames), CELT only (Opus's
 * "restricted low delay" application). The room pays this K+1 times per tick, so it is the mixer's main
 * cost: SILK/hybrid at complexity 5 took ~280 µs per frame here, CELT at complexity 3 ~95 µs, and
 * CELT's look-ahead is 2.5 ms instead of 6.5 ms. What is given up is SILK's in-band FEC on the mix
 * (a listener conceals a lost frame with the decoder's PLC instead). Complexity is a cost knob.
 */
public final class OpusEncoder {
    public static final int MAX_PACKET = 1275;

    private final io.github.jaredmdobson.concentus.OpusEncoder encoder;
    private final byte[] packet = new byte[MAX_PACKET];
    private int length;

    public OpusEncoder(int bitrate, int complexity) {
        try {
            encoder = new io.github.jaredmdobson.concentus.OpusEncoder(OpusDecoder.SAMPLE_RATE, 1,
                    OpusApplication.OPUS_APPLICATION_RESTRICTED_LOWDELAY);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
        encoder.setBitrate(bitrate);
        encoder.setComplexity(complexity);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
    }

    /** Encodes one 20 ms frame; the result is in {@link #packet()}[0..{@link #length()}). */
    public int encode(short[] pcm) {
        try {
            length = encoder.encode(pcm, 0, OpusDecoder.FRAME, packet, 0, MAX_PACKET);
        } catch (OpusException e) {
            length = 0;
        }
        return length;
    }

    public byte[] packet() {
        return packet;
    }

    public int length() {
        return length;
    }
}
