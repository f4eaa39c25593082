package io.webrtccluster.sfu.rtcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The RTCP packets (RFC 3550, RFC 4585, RFC 5104, draft-alvestrand-rmcat-remb) an SFU reads and
 * writes, as values. {@link #parseCompound} splits a compound packet; each record's {@code marshal}
 * writes one packet, and {@link #compound} joins them.
 */
public sealed interface RtcpPacket {
    int SR = 200;
    int RR = 201;
    int SDES = 202;
    int BYE = 203;
    int RTPFB = 205;
    int PSFB = 206;

    byte[] marshal();

    record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long highestSequence, long jitter,
                       long lastSenderReport, long delaySinceLastSenderReport) {
        void write(ByteBuffer b) {
            b.putInt((int) ssrc);
            b.putInt((fractionLost << 24) | (cumulativeLost & 0xffffff));
            b.putInt((int) highestSequence);
            b.putInt((int) jitter);
            b.putInt((int) lastSenderReport);
            b.putInt((int) delaySinceLastSenderReport);
        }

        static ReportBlock read(ByteBuffer b) {
            long ssrc = b.getInt() & 0xffffffffL;
            int lost = b.getInt();
            int cumulative = lost & 0xffffff;
            if ((cumulative & 0x800000) != 0) {
                cumulative |= 0xff000000;
            }
            return new ReportBlock(ssrc, (lost >>> 24) & 0xff, cumulative, b.getInt() & 0xffffffffL,
                    b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL);
        }
    }

    record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
                        List<ReportBlock> reports) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            ByteBuffer b = header(SR, reports.size(), 24 + 24 * reports.size());
            b.putInt((int) ssrc).putLong(ntpTimestamp).putInt((int) rtpTimestamp).putInt((int) packetCount)
                    .putInt((int) octetCount);
            reports.forEach(r -> r.write(b));
            return b.array();
        }
    }

    record ReceiverReport(long ssrc, List<ReportBlock> reports) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            ByteBuffer b = header(RR, reports.size(), 4 + 24 * reports.size());
            b.putInt((int) ssrc);
            reports.forEach(r -> r.write(b));
            return b.array();
        }
    }

    /** Picture Loss Indication (PSFB FMT 1). */
    record Pli(long senderSsrc, long mediaSsrc) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            ByteBuffer b = header(PSFB, 1, 8);
            b.putInt((int) senderSsrc).putInt((int) mediaSsrc);
            return b.array();
        }
    }

    /** Full Intra Request (PSFB FMT 4); we only read it and answer with a PLI upstream. */
    record Fir(long senderSsrc, List<Long> mediaSsrcs) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            ByteBuffer b = header(PSFB, 4, 8 + 8 * mediaSsrcs.size());
            b.putInt((int) senderSsrc).putInt(0);
            for (long s : mediaSsrcs) {
                b.putInt((int) s).putInt(0);
            }
            return b.array();
        }
    }

    /** Generic NACK (RTPFB FMT 1): the sequence numbers a receiver misses. */
    record Nack(long senderSsrc, long mediaSsrc, List<Integer> lost) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            List<int[]> items = new ArrayList<>();
            for (int seq : lost) {
                int[] last = items.isEmpty() ? null : items.get(items.size() - 1);
                int diff = last == null ? -1 : ((seq - last[0]) & 0xffff);
                if (last != null && diff >= 1 && diff <= 16) {
                    last[1] |= 1 << (diff - 1);
                } else {
                    items.add(new int[]{seq, 0});
                }
            }
            ByteBuffer b = header(RTPFB, 1, 8 + 4 * items.size());
            b.putInt((int) senderSsrc).putInt((int) mediaSsrc);
            for (int[] i : items) {
                b.putShort((short) i[0]).putShort((short) i[1]);
            }
            return b.array();
        }
    }

    /** Receiver Estimated Maximum Bitrate (PSFB FMT 15, "REMB"). */
    record Remb(long senderSsrc, long bitrate, List<Long> ssrcs) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            int exp = 0;
            long mantissa = bitrate;
            while (mantissa > 0x3ffff) {
                mantissa >>= 1;
                exp++;
            }
            ByteBuffer b = header(PSFB, 15, 16 + 4 * ssrcs.size());
            b.putInt((int) senderSsrc).putInt(0).put("REMB".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            b.put((byte) ssrcs.size()).put((byte) ((exp << 2) | (mantissa >> 16))).putShort((short) mantissa);
            ssrcs.forEach(s -> b.putInt(s.intValue()));
            return b.array();
        }
    }

    /** Anything else (SDES, BYE, transport-cc, ...), kept as its raw bytes. */
    record Other(int packetType, int format, byte[] raw) implements RtcpPacket {
        @Override
        public byte[] marshal() {
            return raw.clone();
        }
    }

    private static ByteBuffer header(int packetType, int countOrFormat, int bodyLength) {
        ByteBuffer b = ByteBuffer.allocate(4 + bodyLength);
        b.put((byte) (0x80 | countOrFormat)).put((byte) packetType).putShort((short) (bodyLength / 4));
        return b;
    }

    static byte[] compound(List<? extends RtcpPacket> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        packets.forEach(p -> out.writeBytes(p.marshal()));
        return out.toByteArray();
    }

    static List<RtcpPacket> parseCompound(byte[] bytes, int length) {
        List<RtcpPacket> out = new ArrayList<>();
        int off = 0;
        while (off + 4 <= length) {
            int first = bytes[off] & 0xff;
            if ((first & 0xc0) != 0x80) {
                throw new IllegalArgumentException("bad RTCP version at " + off);
            }
            int count = first & 0x1f;
            int pt = bytes[off + 1] & 0xff;
            int len = (((bytes[off + 2] & 0xff) << 8) | (bytes[off + 3] & 0xff)) * 4 + 4;
            if (off + len > length) {
                throw new IllegalArgumentException("RTCP packet overruns compound");
            }
            ByteBuffer b = ByteBuffer.wrap(bytes, off + 4, len - 4);
            out.add(parseOne(pt, count, b, java.util.Arrays.copyOfRange(bytes, off, off + len)));
            off += len;
        }
        return out;
    }

    private static RtcpPacket parseOne(int pt, int count, ByteBuffer b, byte[] raw) {
        switch (pt) {
            case SR: {
                long ssrc = b.getInt() & 0xffffffffL;
                long ntp = b.getLong();
                long rtp = b.getInt() & 0xffffffffL;
                long pc = b.getInt() & 0xffffffffL;
                long oc = b.getInt() & 0xffffffffL;
                List<ReportBlock> rb = new ArrayList<>();
                for (int i = 0; i < count && b.remaining() >= 24; i++) {
                    rb.add(ReportBlock.read(b));
                }
                return new SenderReport(ssrc, ntp, rtp, pc, oc, rb);
            }
            case RR: {
                long ssrc = b.getInt() & 0xffffffffL;
                List<ReportBlock> rb = new ArrayList<>();
                for (int i = 0; i < count && b.remaining() >= 24; i++) {
                    rb.add(ReportBlock.read(b));
                }
                return new ReceiverReport(ssrc, rb);
            }
            case RTPFB:
                if (count == 1 && b.remaining() >= 8) {
                    long sender = b.getInt() & 0xffffffffL;
                    long media = b.getInt() & 0xffffffffL;
                    List<Integer> lost = new ArrayList<>();
                    while (b.remaining() >= 4) {
                        int pid = b.getShort() & 0xffff;
                        int blp = b.getShort() & 0xffff;
                        lost.add(pid);
                        for (int i = 0; i < 16; i++) {
                            if ((blp & (1 << i)) != 0) {
                                lost.add((pid + i + 1) & 0xffff);
                            }
                        }
                    }
                    return new Nack(sender, media, lost);
                }
                break;
            case PSFB:
                if (count == 1 && b.remaining() >= 8) {
                    return new Pli(b.getInt() & 0xffffffffL, b.getInt() & 0xffffffffL);
                }
                if (count == 4 && b.remaining() >= 8) {
                    long sender = b.getInt() & 0xffffffffL;
                    b.getInt();
                    List<Long> media = new ArrayList<>();
                    while (b.remaining() >= 8) {
                        media.add(b.getInt() & 0xffffffffL);
                        b.getInt();
                    }
                    return new Fir(sender, media);
                }
                if (count == 15 && b.remaining() >= 16) {
                    long sender = b.getInt() & 0xffffffffL;
                    b.getInt();
                    byte[] id = new byte[4];
                    b.get(id);
                    if ("REMB".equals(new String(id, java.nio.charset.StandardCharsets.US_ASCII))) {
                        int n = b.get() & 0xff;
                        int e = b.get() & 0xff;
                        long mantissa = ((long) (e & 0x03) << 16) | (b.getShort() & 0xffff);
                        List<Long> ssrcs = new ArrayList<>();
                        for (int i = 0; i < n && b.remaining() >= 4; i++) {
                            ssrcs.add(b.getInt() & 0xffffffffL);
                        }
                        return new Remb(sender, mantissa << (e >> 2), ssrcs);
                    }
                }
                break;
            default:
                break;
        }
        return new Other(pt, count, raw);
    }
}
