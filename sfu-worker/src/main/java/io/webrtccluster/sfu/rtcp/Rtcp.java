package io.webrtccluster.sfu.rtcp;

import java.util.List;

/** Entry points for compound RTCP (the sealed interface keeps its helpers package-private). */
public final class Rtcp {
    private Rtcp() {
    }

    public static List<RtcpPacket> parse(byte[] bytes, int length) {
        return RtcpPacket.parseCompound(bytes, length);
    }

    public static byte[] compound(List<? extends RtcpPacket> packets) {
        return RtcpPacket.compound(packets);
    }

    /** NTP time (RFC 3550 64-bit fixed point) for a wall-clock instant. */
    public static long ntp(long epochMillis) {
        long seconds = epochMillis / 1000 + 2208988800L;
        long fraction = ((epochMillis % 1000) << 32) / 1000;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP time, as used by LSR / DLSR. */
    public static long compactNtp(long ntp) {
        return (ntp >>> 16) & 0xffffffffL;
    }
}
