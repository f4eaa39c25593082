package io.webrtccluster.sfu.mixer;

import java.util.ArrayList;
import java.util.List;

/** Test media: pure tones as Opus RTP packets, and a Goertzel filter to find a tone in decoded PCM. */
final class Tones {
    static final int EXT_AUDIO_LEVEL = 3;

    private Tones() {
    }

    /** One 20 ms frame of a sine at {@code hz}, amplitude {@code amp} (0..32767), frame {@code index} of a continuous tone. */
    static short[] frame(double hz, int amp, int index) {
        short[] pcm = new short[OpusDecoder.FRAME];
        for (int i = 0; i < pcm.length; i++) {
            long n = (long) index * OpusDecoder.FRAME + i;
            pcm[i] = (short) Math.round(amp * Math.sin(2 * Math.PI * hz * n / OpusDecoder.SAMPLE_RATE));
        }
        return pcm;
    }

    /** {@code count} Opus payloads of a continuous tone, as a browser's encoder would send them. */
    static List<byte[]> opus(double hz, int amp, int count) {
        OpusEncoder enc = new OpusEncoder(32_000, 5);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = enc.encode(frame(hz, amp, i));
            out.add(java.util.Arrays.copyOf(enc.packet(), n));
        }
        return out;
    }

    /**
     * An RTP packet: 12-byte header, a one-byte-header extension block carrying the RFC 6464 audio level
     * (id 3) unless {@code level} is negative, then the payload.
     */
    static byte[] rtp(int seq, long ts, long ssrc, int level, byte[] payload) {
        boolean ext = level >= 0;
        byte[] b = new byte[12 + (ext ? 8 : 0) + payload.length];
        b[0] = (byte) (ext ? 0x90 : 0x80);
        b[1] = 111;
        b[2] = (byte) (seq >> 8);
        b[3] = (byte) seq;
        putU32(b, 4, ts);
        putU32(b, 8, ssrc);
        int off = 12;
        if (ext) {
            b[12] = (byte) 0xbe;
            b[13] = (byte) 0xde;
            b[14] = 0;
            b[15] = 1; // one 32-bit word
            b[16] = (byte) (EXT_AUDIO_LEVEL << 4); // id 3, length 1
            b[17] = (byte) (0x80 | level);
            off = 20;
        }
        System.arraycopy(payload, 0, b, off, payload.length);
        return b;
    }

    /** Power of {@code hz} in the PCM relative to full scale, in dB (Goertzel). */
    static double db(short[] pcm, int length, double hz) {
        double w = 2 * Math.PI * hz / OpusDecoder.SAMPLE_RATE;
        double c = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < length; i++) {
            double s0 = pcm[i] / 32768.0 + c * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - c * s1 * s2;
        double amplitude = 2 * Math.sqrt(Math.max(power, 0)) / length;
        return 20 * Math.log10(Math.max(amplitude, 1e-9));
    }

    private static void putU32(byte[] b, int o, long v) {
        b[o] = (byte) (v >> 24);
        b[o + 1] = (byte) (v >> 16);
        b[o + 2] = (byte) (v >> 8);
        b[o + 3] = (byte) v;
    }
}
