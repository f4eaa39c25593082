package io.webrtccluster.sfu.rtp;

import io.webrtccluster.sfu.rtcp.RtcpPacket.ReportBlock;
import io.webrtccluster.sfu.rtcp.Rtcp;

/** RFC 3550 A.1/A.3/A.8 receiver statistics for one incoming SSRC, and the report block they produce. */
public final class ReceiveStatistics {
    private final long ssrc;
    private final int clockRate;
    private boolean initialised;
    private int baseSeq;
    private int maxSeq;
    private long cycles;
    private long received;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    private long lastSrCompact;
    private long lastSrArrivalMs;
    private volatile double lastFractionLost;

    public ReceiveStatistics(long ssrc, int clockRate) {
        this.ssrc = ssrc;
        this.clockRate = clockRate;
    }

    /** @return the sequence numbers skipped by this packet (a gap to NACK), empty for in-order or late packets */
    public synchronized int[] onPacket(int seq, long rtpTimestamp, long arrivalMs) {
        received++;
        int[] missing = new int[0];
        if (!initialised) {
            initialised = true;
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (short) (seq - maxSeq);
            if (delta > 0) {
                if (seq < maxSeq) {
                    cycles += 65536;
                }
                if (delta > 1 && delta <= 200) {
                    missing = new int[delta - 1];
                    for (int i = 1; i < delta; i++) {
                        missing[i - 1] = (maxSeq + i) & 0xffff;
                    }
                }
                maxSeq = seq;
            }
        }
        long arrival = arrivalMs * clockRate / 1000;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
        return missing;
    }

    public synchronized void onSenderReport(long ntp, long arrivalMs) {
        lastSrCompact = Rtcp.compactNtp(ntp);
        lastSrArrivalMs = arrivalMs;
    }

    public synchronized ReportBlock reportBlock(long nowMs) {
        long extendedMax = cycles + maxSeq;
        long expected = extendedMax - baseSeq + 1;
        long lost = Math.max(0, expected - received);
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        lastFractionLost = fraction / 256.0;
        long dlsr = lastSrArrivalMs == 0 ? 0 : ((nowMs - lastSrArrivalMs) * 65536) / 1000;
        return new ReportBlock(ssrc, Math.min(255, fraction), (int) Math.min(lost, 0x7fffff), extendedMax & 0xffffffffL,
                (long) jitter, lastSrCompact, dlsr);
    }

    public boolean started() {
        return initialised;
    }

    public long ssrc() {
        return ssrc;
    }

    public synchronized long packetsReceived() {
        return received;
    }

    public double lastFractionLost() {
        return lastFractionLost;
    }
}
