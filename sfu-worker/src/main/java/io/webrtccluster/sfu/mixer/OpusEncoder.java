package io.webrtccluster.sfu.mixer;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;

/**
 * One mixed stream's Opus encoder (Concentus, mono, 48 kHz, 20 ms frames, VoIP, in-band FEC on so a
 * listener can recover a lost frame). Complexity is a cost knob: the room pays it K+1 times per tick.
 */
public final class OpusEncoder {
    public static final int MAX_PACKET = 1275;

    private final io.github.jaredmdobson.concentus.OpusEncoder encoder;
    private final byte[] packet = new byte[MAX_PACKET];
    private int length;

    public OpusEncoder(int bitrate, int complexity) {
        try {
            encoder = new io.github.jaredmdobson.concentus.OpusEncoder(OpusDecoder.SAMPLE_RATE, 1,
                    OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new IllegalStateException(e);
        }
        encoder.setBitrate(bitrate);
        encoder.setComplexity(complexity);
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        encoder.setUseInbandFEC(true);
        encoder.setPacketLossPercent(5);
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
