package io.webrtccluster.sfu.room;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.webrtccluster.sfu.metrics.MediaMetrics;
import io.webrtccluster.sfu.mixer.RoomMix;
import io.webrtccluster.sfu.rtp.Keyframes;
import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.sfu.sdp.Codecs;

/**
 * A track a participant publishes (one upstream, however many subscribers): its layers, and the
 * consumers it fans each packet out to.
 */
public final class Producer {
    static final long KEYFRAME_REQUEST_INTERVAL_MS = 300;

    final Transport owner;
    final String kind;
    final String mid;
    final List<String> rids;
    final String trackId;
    final Map<Integer, Layer> layers = new ConcurrentHashMap<>();
    final List<Consumer> consumers = new CopyOnWriteArrayList<>();
    volatile int payloadType = -1;
    /** While the room mixes, the mix this (audio) producer's packets go to (besides its consumers, if it has any). */
    volatile RoomMix mix;

    Producer(Transport owner, String kind, String mid, List<String> rids) {
        this.owner = owner;
        this.kind = kind;
        this.mid = mid;
        this.rids = rids;
        this.trackId = owner.participantId + "-" + kind;
    }

    boolean video() {
        return "video".equals(kind);
    }

    int clockRate() {
        return video() ? 90000 : 48000;
    }

    /** Finds or creates the layer an SSRC belongs to; {@code rid} is null for a track without simulcast. */
    Layer layerFor(long ssrc, String rid) {
        int index = rid == null ? 0 : rids.indexOf(rid);
        if (index < 0) {
            return null;
        }
        return layers.computeIfAbsent(index, i -> new Layer(this, i, rid, ssrc, clockRate()));
    }

    int highestActiveLayer(long now) {
        int best = -1;
        for (Layer l : layers.values()) {
            if (l.active(now) && l.index > best) {
                best = l.index;
            }
        }
        return best;
    }

    Layer layer(int index) {
        return layers.get(index);
    }

    void onPacket(Layer layer, RtpPacket p, long now, long receivedNanos) {
        layer.lastPacketMs = now;
        layer.packets++;
        layer.bytes += p.length();
        payloadType = p.payloadType();
        int[] gap = layer.stats.onPacket(p.sequenceNumber(), p.timestamp(), now);
        if (video()) {
            layer.nacks.onReceived(p.sequenceNumber());
            if (gap.length > 0 && owner.router.config().upstreamNack()) {
                layer.nacks.onGap(gap, now);
            }
        }
        RoomMix m = mix;
        if (m != null) {
            if (io.webrtccluster.sfu.ice.Capture.enabled()) { // plain RTP of the speakers, for the mixer's unit tests
                io.webrtccluster.sfu.ice.Capture.record("mcu-opus-" + owner.participantId, owner.participantId, p.bytes(),
                        p.length(), 250);
            }
            m.onPacket(owner.participantId, p, Codecs.EXT_AUDIO_LEVEL, receivedNanos);
            if (consumers.isEmpty()) {
                return; // an MCU room: nobody receives this speaker directly
            }
        }
        layer.cache.put(p);
        boolean keyframe = video() && Keyframes.isKeyframeStart(Codecs.nameOf(p.payloadType()), p);
        for (Consumer c : consumers) {
            c.onPacket(layer, p, keyframe, now, receivedNanos);
        }
    }

    /** Asks the publisher for a keyframe on a layer, at most every {@link #KEYFRAME_REQUEST_INTERVAL_MS}. */
    void requestKeyframe(int layerIndex) {
        Layer l = layers.get(layerIndex);
        if (l == null || !video()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - l.lastKeyframeRequestMs < KEYFRAME_REQUEST_INTERVAL_MS) {
            return;
        }
        l.lastKeyframeRequestMs = now;
        owner.sendPli(l.ssrc);
        MediaMetrics.get().pliSent();
    }

    void requestKeyframeAllLayers() {
        for (Integer i : layers.keySet()) {
            requestKeyframe(i);
        }
    }
}
