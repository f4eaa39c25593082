package io.webrtccluster.sfu.room;

import java.security.SecureRandom;
import java.util.List;

import io.webrtccluster.sfu.mixer.MixedStream;
import io.webrtccluster.sfu.mixer.RoomMix;
import io.webrtccluster.sfu.rtcp.Rtcp;
import io.webrtccluster.sfu.rtcp.RtcpPacket;
import io.webrtccluster.sfu.sdp.Codecs;

/**
 * The mixed audio of an MCU room as one listener receives it: the one audio m-line it gets instead of
 * an audio consumer per publisher (stream id {@link #STREAM_ID}), with its own SSRC and continuous
 * numbering ({@link MixedStream}), encrypted with the listener's SRTP context.
 */
final class MixConsumer implements RoomMix.Listener {
    static final String STREAM_ID = "mix";
    static final String TRACK_ID = "mix-audio";
    private static final SecureRandom RANDOM = new SecureRandom();

    final Transport listener;
    final String mid;
    final long ssrc = (RANDOM.nextInt() & 0x7fffffffL) | 1;
    private final MixedStream stream = new MixedStream(ssrc, Codecs.OPUS);
    volatile boolean negotiated;

    MixConsumer(Transport listener, String mid) {
        this.listener = listener;
        this.mid = mid;
    }

    @Override
    public String participantId() {
        return listener.participantId;
    }

    @Override
    public void send(byte[] opus, int length, long[] csrcs, int csrcCount, long nowMs) {
        if (!negotiated || !listener.srtpReady()) {
            stream.skip();
            return;
        }
        OutgoingRtp scratch = OutgoingRtp.get();
        int n;
        synchronized (this) {
            n = stream.write(scratch.bytes, opus, length, csrcs, csrcCount, nowMs);
        }
        listener.sendRtp(scratch, n);
    }

    @Override
    public synchronized void skip() {
        stream.skip();
    }

    synchronized long packets() {
        return stream.packets();
    }

    synchronized long octets() {
        return stream.octets();
    }

    synchronized RtcpPacket.SenderReport senderReport(long nowMs) {
        long rtp = stream.timestampAt(nowMs);
        if (rtp < 0) {
            return null;
        }
        return new RtcpPacket.SenderReport(ssrc, Rtcp.ntp(nowMs), rtp, stream.packets(), stream.octets(), List.of());
    }
}
