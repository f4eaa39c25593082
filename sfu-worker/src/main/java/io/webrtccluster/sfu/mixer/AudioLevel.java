package io.webrtccluster.sfu.mixer;

import io.webrtccluster.sfu.rtp.RtpPacket;

/**
 * RFC 6464 client-to-mixer audio level: one byte, V (voice activity, as the sender judged it) and the
 * level in -dBov (0 = loudest, 127 = silence). Read without allocating, since it is read per packet.
 */
public final class AudioLevel {
    /** What {@link #read} returns when the packet has no such extension (or a malformed one). */
    public static final int MISSING = -1;
    public static final int SILENCE = 127;

    private AudioLevel() {
    }

    /** @return the level in -dBov (0..127), or {@link #MISSING} */
    public static int read(RtpPacket p, int extensionId) {
        int b = rawByte(p, extensionId);
        return b < 0 ? MISSING : b & 0x7f;
    }

    /** The extension's first byte (V bit and level), or -1. One-byte (RFC 8285 §4.2) and two-byte headers. */
    static int rawByte(RtpPacket p, int id) {
        if (p.extensionOffset() < 0 || id <= 0) {
            return -1;
        }
        byte[] b = p.bytes();
        int i = p.extensionOffset();
        int end = Math.min(p.length(), i + p.extensionLength());
        while (i < end) {
            int extId;
            int extLen;
            if (p.twoByteExtensions()) {
                extId = b[i] & 0xff;
                if (extId == 0) {
                    i++;
                    continue;
                }
                if (i + 1 >= end) {
                    return -1;
                }
                extLen = b[i + 1] & 0xff;
                i += 2;
            } else {
                extId = (b[i] & 0xf0) >> 4;
                if (extId == 0) {
                    i++;
                    continue;
                }
                if (extId == 15) {
                    return -1;
                }
                extLen = (b[i] & 0x0f) + 1;
                i++;
            }
            if (i + extLen > end) {
                return -1;
            }
            if (extId == id) {
                return extLen >= 1 ? b[i] & 0xff : -1;
            }
            i += extLen;
        }
        return -1;
    }
}
