package io.webrtccluster.sfu.room;

import java.security.SecureRandom;
import java.util.List;

import io.webrtccluster.sfu.metrics.MediaMetrics;
import io.webrtccluster.sfu.rtcp.Rtcp;
import io.webrtccluster.sfu.rtcp.RtcpPacket;
import io.webrtccluster.sfu.rtp.RtpPacket;

/**
 * One producer's track as one subscriber receives it: its own SSRC, a continuous sequence number and
 * timestamp space across layer switches, one simulcast layer at a time (switching only on a keyframe
 * of the target layer), and retransmissions from the producer's packet cache.
 */
public final class Consumer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int HISTORY = 1024;

    final Transport subscriber;
    final Producer producer;
    final String mid;
    final long ssrc;
    volatile boolean negotiated;
    volatile int maxLayer = 2;

    private int currentLayer = -1;
    private boolean started;
    private int switchSeq;
    private int seqOffset;
    private long tsOffset;
    private int lastOutSeq;
    private long lastOutTs;
    private long lastOutMs;
    // outSeq -> (layer, inSeq, tsOffset) of what we sent, to answer NACKs from the producer's cache
    private final int[] historyOutSeq = new int[HISTORY];
    private final int[] historyLayer = new int[HISTORY];
    private final int[] historyInSeq = new int[HISTORY];
    private final long[] historyTsOffset = new long[HISTORY];

    private long packetsSent;
    private long octetsSent;
    volatile double fractionLost;
    volatile double rttMs = -1;
    volatile long nacksReceived;
    volatile long retransmitted;
    volatile long keyframeRequests;
    volatile long packets;
    volatile long bytes;

    Consumer(Transport subscriber, Producer producer, String mid) {
        this.subscriber = subscriber;
        this.producer = producer;
        this.mid = mid;
        this.ssrc = (RANDOM.nextInt() & 0x7fffffffL) | 1;
        java.util.Arrays.fill(historyOutSeq, -1);
    }

    boolean active() {
        return negotiated && subscriber.srtpReady();
    }

    /** The layer this subscriber should get: the highest the publisher sends that is within its limit. */
    int targetLayer(long now) {
        if (producer.rids.isEmpty()) {
            return 0;
        }
        int best = -1;
        int lowest = -1;
        for (Layer l : producer.layers.values()) {
            if (!l.active(now)) {
                continue;
            }
            if (lowest < 0 || l.index < lowest) {
                lowest = l.index;
            }
            if (l.index <= maxLayer && l.index > best) {
                best = l.index;
            }
        }
        return best >= 0 ? best : lowest;
    }

    synchronized int currentLayer() {
        return currentLayer;
    }

    synchronized void onPacket(Layer layer, RtpPacket p, boolean keyframe, long now, long receivedNanos) {
        if (!active()) {
            return;
        }
        int target = targetLayer(now);
        if (currentLayer != layer.index) {
            if (layer.index != target) {
                return;
            }
            if (producer.video() && !keyframe) {
                producer.requestKeyframe(target);
                return;
            }
            switchTo(layer, p, now);
        }
        if ((short) (p.sequenceNumber() - switchSeq) < 0) {
            return; // a late packet from before the switch point
        }
        if (producer.video() && target != currentLayer) {
            producer.requestKeyframe(target);
        }
        int outSeq = (p.sequenceNumber() + seqOffset) & 0xffff;
        long outTs = (p.timestamp() + tsOffset) & 0xffffffffL;
        int slot = outSeq % HISTORY;
        historyOutSeq[slot] = outSeq;
        historyLayer[slot] = layer.index;
        historyInSeq[slot] = p.sequenceNumber();
        historyTsOffset[slot] = tsOffset;
        if (!started || (short) (outSeq - lastOutSeq) > 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastOutMs = now;
        }
        started = true;
        OutgoingRtp scratch = OutgoingRtp.get();
        int length = p.rewriteInto(scratch.bytes, ssrc, outSeq, outTs);
        packetsSent++;
        octetsSent += p.length() - p.payloadOffset();
        packets = packetsSent;
        bytes += length;
        subscriber.sendRtp(scratch, length);
        MediaMetrics.get().forwarding().record(System.nanoTime() - receivedNanos);
    }

    private void switchTo(Layer layer, RtpPacket p, long now) {
        if (!started) {
            seqOffset = (RANDOM.nextInt(0x8000) - p.sequenceNumber()) & 0xffff;
            tsOffset = ((RANDOM.nextInt() & 0x7fffffffL) - p.timestamp()) & 0xffffffffL;
        } else {
            seqOffset = (lastOutSeq + 1 - p.sequenceNumber()) & 0xffff;
            long elapsed = Math.max(1, (now - lastOutMs) * producer.clockRate() / 1000);
            tsOffset = (lastOutTs + elapsed - p.timestamp()) & 0xffffffffL;
        }
        switchSeq = p.sequenceNumber();
        currentLayer = layer.index;
    }

    synchronized void onNack(List<Integer> lost) {
        nacksReceived += lost.size();
        MediaMetrics.get().nackReceived(lost.size());
        for (int outSeq : lost) {
            int slot = outSeq % HISTORY;
            if (historyOutSeq[slot] != outSeq) {
                continue;
            }
            Layer layer = producer.layer(historyLayer[slot]);
            RtpPacket p = layer == null ? null : layer.cache.get(historyInSeq[slot]);
            if (p == null) {
                continue;
            }
            retransmitted++;
            MediaMetrics.get().retransmitted();
            OutgoingRtp scratch = OutgoingRtp.get();
            int length = p.rewriteInto(scratch.bytes, ssrc, outSeq, (p.timestamp() + historyTsOffset[slot]) & 0xffffffffL);
            subscriber.sendRtp(scratch, length);
        }
    }

    void onKeyframeRequest() {
        keyframeRequests++;
        synchronized (this) {
            if (currentLayer >= 0) {
                producer.requestKeyframe(currentLayer);
                return;
            }
        }
        producer.requestKeyframe(Math.max(0, targetLayer(System.currentTimeMillis())));
    }

    void onReportBlock(RtcpPacket.ReportBlock rb, long nowMs) {
        fractionLost = rb.fractionLost() / 256.0;
        if (rb.lastSenderReport() != 0) {
            long nowCompact = Rtcp.compactNtp(Rtcp.ntp(nowMs));
            long rtt = (nowCompact - rb.lastSenderReport() - rb.delaySinceLastSenderReport()) & 0xffffffffL;
            if (rtt < 65536L * 10) {
                rttMs = rtt * 1000.0 / 65536;
                MediaMetrics.get().rtt(rttMs);
            }
        }
        MediaMetrics.get().loss(fractionLost);
    }

    /** A sender report mapping our timestamps to wall-clock time, so the subscriber can sync audio and video and measure RTT. */
    synchronized RtcpPacket.SenderReport senderReport(long nowMs) {
        if (!started) {
            return null;
        }
        long ntp = Rtcp.ntp(nowMs);
        long rtp = (lastOutTs + (nowMs - lastOutMs) * producer.clockRate() / 1000) & 0xffffffffL;
        return new RtcpPacket.SenderReport(ssrc, ntp, rtp, packetsSent, octetsSent, List.of());
    }
}
