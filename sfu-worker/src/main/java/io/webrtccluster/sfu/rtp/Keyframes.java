package io.webrtccluster.sfu.rtp;

/** Recognises the first packet of a keyframe in VP8 (RFC 7741) and H.264 (RFC 6184) payloads. */
public final class Keyframes {
    private Keyframes() {
    }

    public static boolean isKeyframeStart(String codec, RtpPacket p) {
        if (p.payloadLength() <= 0) {
            return false;
        }
        return switch (codec.toUpperCase()) {
            case "VP8" -> vp8(p.bytes(), p.payloadOffset(), p.payloadLength());
            case "H264" -> h264(p.bytes(), p.payloadOffset(), p.payloadLength());
            default -> false;
        };
    }

    static boolean vp8(byte[] b, int off, int len) {
        int end = off + len;
        int d = b[off] & 0xff;
        boolean extended = (d & 0x80) != 0;
        boolean start = (d & 0x10) != 0;
        int partition = d & 0x07;
        if (!start || partition != 0) {
            return false;
        }
        int p = off + 1;
        if (extended) {
            if (p >= end) {
                return false;
            }
            int x = b[p++] & 0xff;
            if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
                if (p >= end) {
                    return false;
                }
                p += (b[p] & 0x80) != 0 ? 2 : 1;
            }
            if ((x & 0x40) != 0) { // L: TL0PICIDX
                p++;
            }
            if ((x & 0x30) != 0) { // T or K
                p++;
            }
        }
        // VP8 frame header: the inverse key frame flag is the lowest bit of the first byte.
        return p < end && (b[p] & 0x01) == 0;
    }

    static boolean h264(byte[] b, int off, int len) {
        int nalType = b[off] & 0x1f;
        switch (nalType) {
            case 5, 7:
                return true;
            case 24: { // STAP-A: 16-bit size then NAL unit, repeated
                int p = off + 1;
                int end = off + len;
                while (p + 2 < end) {
                    int size = ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
                    int t = b[p + 2] & 0x1f;
                    if (t == 5 || t == 7) {
                        return true;
                    }
                    p += 2 + size;
                }
                return false;
            }
            case 28: { // FU-A: start bit and original type in the FU header
                if (len < 2) {
                    return false;
                }
                int fu = b[off + 1] & 0xff;
                return (fu & 0x80) != 0 && ((fu & 0x1f) == 5 || (fu & 0x1f) == 7);
            }
            default:
                return false;
        }
    }
}
