package io.webrtccluster.sfu.rtp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A plaintext RTP packet (RFC 3550) with its header extensions (RFC 8285) located but not copied.
 * The bytes are shared by every consumer that forwards it, so nobody writes into them.
 */
public record RtpPacket(byte[] bytes, int length, boolean marker, int payloadType, int sequenceNumber,
                        long timestamp, long ssrc, int extensionOffset, int extensionLength, boolean twoByteExtensions,
                        int payloadOffset, int paddingLength) {

    /** RFC 7983 / RFC 5761: RTP and RTCP start with version 2 (128..191); RTCP packet types 192..223 in the second byte. */
    public static boolean looksLikeRtpOrRtcp(byte[] b, int len) {
        return len >= 12 && (b[0] & 0xc0) == 0x80;
    }

    public static boolean isRtcp(byte[] b, int len) {
        int pt = b[1] & 0xff;
        return len >= 8 && pt >= 192 && pt <= 223;
    }

    public static RtpPacket parse(byte[] b, int len) {
        if (len < 12 || (b[0] & 0xc0) != 0x80) {
            throw new IllegalArgumentException("not RTP");
        }
        boolean padding = (b[0] & 0x20) != 0;
        boolean extension = (b[0] & 0x10) != 0;
        int csrcCount = b[0] & 0x0f;
        int off = 12 + 4 * csrcCount;
        int extOff = -1;
        int extLen = 0;
        boolean twoByte = false;
        if (extension) {
            if (off + 4 > len) {
                throw new IllegalArgumentException("truncated extension header");
            }
            int profile = u16(b, off);
            extLen = u16(b, off + 2) * 4;
            twoByte = (profile & 0xfff0) == 0x1000;
            extOff = off + 4;
            off = extOff + extLen;
        }
        int pad = padding ? b[len - 1] & 0xff : 0;
        if (off + pad > len) {
            throw new IllegalArgumentException("truncated RTP packet");
        }
        return new RtpPacket(b, len, (b[1] & 0x80) != 0, b[1] & 0x7f, u16(b, 2), u32(b, 4), u32(b, 8),
                extOff, extLen, twoByte, off, pad);
    }

    public int payloadLength() {
        return length - payloadOffset - paddingLength;
    }

    /** The value of header extension {@code id}, or null when the packet does not carry it. */
    public byte[] extension(int id) {
        if (extensionOffset < 0 || id <= 0) {
            return null;
        }
        int p = extensionOffset;
        int end = extensionOffset + extensionLength;
        while (p < end) {
            int extId;
            int extLen;
            if (twoByteExtensions) {
                if (p + 2 > end) {
                    return null;
                }
                extId = bytes[p] & 0xff;
                if (extId == 0) {
                    p++;
                    continue;
                }
                extLen = bytes[p + 1] & 0xff;
                p += 2;
            } else {
                extId = (bytes[p] & 0xf0) >> 4;
                if (extId == 0) {
                    p++;
                    continue;
                }
                if (extId == 15) {
                    return null;
                }
                extLen = (bytes[p] & 0x0f) + 1;
                p += 1;
            }
            if (p + extLen > end) {
                return null;
            }
            if (extId == id) {
                return Arrays.copyOfRange(bytes, p, p + extLen);
            }
            p += extLen;
        }
        return null;
    }

    public String stringExtension(int id) {
        byte[] v = extension(id);
        return v == null ? null : new String(v, StandardCharsets.US_ASCII);
    }

    /**
     * This packet as one subscriber receives it: its own SSRC, sequence number and timestamp, and
     * no header extensions (their ids and meaning, e.g. the MID, belong to the publisher's m-line).
     */
    public byte[] rewrite(long newSsrc, int newSequence, long newTimestamp) {
        byte[] out = new byte[rewrittenLength()];
        rewriteInto(out, newSsrc, newSequence, newTimestamp);
        return out;
    }

    /** Length of {@link #rewrite}'s result: a 12-byte header and the payload. */
    public int rewrittenLength() {
        return 12 + length - payloadOffset;
    }

    /** {@link #rewrite} into {@code out} (at least {@link #rewrittenLength()} bytes), without allocating; returns the length. */
    public int rewriteInto(byte[] out, long newSsrc, int newSequence, long newTimestamp) {
        int body = length - payloadOffset;
        out[0] = (byte) (0x80 | (bytes[0] & 0x20));
        out[1] = (byte) ((marker ? 0x80 : 0) | payloadType);
        out[2] = (byte) (newSequence >> 8);
        out[3] = (byte) newSequence;
        putU32(out, 4, newTimestamp);
        putU32(out, 8, newSsrc);
        System.arraycopy(bytes, payloadOffset, out, 12, body);
        return 12 + body;
    }

    static int u16(byte[] b, int o) {
        return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
    }

    static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    static void putU32(byte[] b, int o, long v) {
        b[o] = (byte) (v >> 24);
        b[o + 1] = (byte) (v >> 16);
        b[o + 2] = (byte) (v >> 8);
        b[o + 3] = (byte) v;
    }
}
