package io.webrtccluster.sfu.room;

import io.webrtccluster.sfu.rtp.PacketCache;
import io.webrtccluster.sfu.rtp.ReceiveStatistics;

/** One RTP stream of a producer: the only stream of an audio or plain video track, or one simulcast encoding (rid). */
final class Layer {
    final Producer producer;
    final int index;
    final String rid;
    final long ssrc;
    final ReceiveStatistics stats;
    final PacketCache cache = new PacketCache(1024);
    final NackGenerator nacks;
    volatile long lastPacketMs;
    volatile long lastKeyframeRequestMs;
    volatile long packets;
    volatile long bytes;

    Layer(Producer producer, int index, String rid, long ssrc, int clockRate) {
        this.producer = producer;
        this.index = index;
        this.rid = rid;
        this.ssrc = ssrc;
        this.stats = new ReceiveStatistics(ssrc, clockRate);
        this.nacks = new NackGenerator();
    }

    boolean active(long nowMs) {
        return nowMs - lastPacketMs < 1500;
    }
}
