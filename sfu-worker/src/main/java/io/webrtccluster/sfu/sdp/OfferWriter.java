package io.webrtccluster.sfu.sdp;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the worker's offer to one participant: Unified Plan, everything BUNDLEd on the one UDP
 * port, rtcp-mux, ICE-lite with a single host candidate, DTLS fingerprint with setup:actpass (the
 * browser answers active, so the worker is the DTLS server).
 */
public final class OfferWriter {
    private OfferWriter() {
    }

    public record Transport(String iceUfrag, String icePwd, String fingerprint, String address, int port) {
    }

    public static String write(long sessionId, long version, Transport t, List<MediaSection> sections) {
        StringBuilder s = new StringBuilder();
        s.append("v=0\r\n");
        s.append("o=- ").append(sessionId).append(' ').append(version).append(" IN IP4 0.0.0.0\r\n");
        s.append("s=-\r\n");
        s.append("t=0 0\r\n");
        s.append("a=ice-lite\r\n");
        s.append("a=group:BUNDLE ").append(sections.stream().filter(m -> !m.closed()).map(MediaSection::mid)
                .collect(Collectors.joining(" "))).append("\r\n");
        s.append("a=msid-semantic: WMS *\r\n");
        s.append("a=extmap-allow-mixed\r\n");
        for (MediaSection m : sections) {
            writeSection(s, t, m);
        }
        return s.toString();
    }

    private static void writeSection(StringBuilder s, Transport t, MediaSection m) {
        boolean audio = "audio".equals(m.kind());
        String pts = audio ? Integer.toString(Codecs.OPUS) : Codecs.VP8 + " " + Codecs.H264;
        int port = m.closed() ? 0 : t.port();
        s.append("m=").append(m.kind()).append(' ').append(port).append(" UDP/TLS/RTP/SAVPF ").append(pts).append("\r\n");
        s.append("c=IN IP4 ").append(t.address()).append("\r\n");
        s.append("a=mid:").append(m.mid()).append("\r\n");
        if (m.closed()) {
            s.append("a=inactive\r\n");
            s.append("a=rtcp-mux\r\n");
            appendCodecs(s, audio);
            return;
        }
        s.append("a=ice-ufrag:").append(t.iceUfrag()).append("\r\n");
        s.append("a=ice-pwd:").append(t.icePwd()).append("\r\n");
        s.append("a=fingerprint:sha-256 ").append(t.fingerprint()).append("\r\n");
        s.append("a=setup:actpass\r\n");
        s.append("a=candidate:1 1 udp 2130706431 ").append(t.address()).append(' ').append(t.port())
                .append(" typ host generation 0\r\n");
        s.append("a=end-of-candidates\r\n");
        s.append("a=rtcp-mux\r\n");
        s.append("a=rtcp-rsize\r\n");
        s.append("a=extmap:").append(Codecs.EXT_MID).append(" urn:ietf:params:rtp-hdrext:sdes:mid\r\n");
        s.append("a=extmap:").append(Codecs.EXT_ABS_SEND_TIME).append(" http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n");
        if (audio) {
            s.append("a=extmap:").append(Codecs.EXT_AUDIO_LEVEL).append(" urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n");
        } else {
            s.append("a=extmap:").append(Codecs.EXT_RID).append(" urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id\r\n");
        }
        s.append("a=").append(m.direction()).append("\r\n");
        appendCodecs(s, audio);
        if ("sendonly".equals(m.direction())) {
            s.append("a=msid:").append(m.streamId()).append(' ').append(m.trackId()).append("\r\n");
            s.append("a=ssrc:").append(m.ssrc()).append(" cname:").append(m.streamId()).append("\r\n");
            s.append("a=ssrc:").append(m.ssrc()).append(" msid:").append(m.streamId()).append(' ').append(m.trackId()).append("\r\n");
        } else if (!m.rids().isEmpty()) {
            m.rids().forEach(r -> s.append("a=rid:").append(r).append(" recv\r\n"));
            s.append("a=simulcast:recv ").append(String.join(";", m.rids())).append("\r\n");
        }
    }

    private static void appendCodecs(StringBuilder s, boolean audio) {
        if (audio) {
            s.append("a=rtpmap:").append(Codecs.OPUS).append(" opus/48000/2\r\n");
            s.append("a=fmtp:").append(Codecs.OPUS).append(" minptime=10;useinbandfec=1\r\n");
            return;
        }
        for (int pt : new int[]{Codecs.VP8, Codecs.H264}) {
            s.append("a=rtpmap:").append(pt).append(pt == Codecs.VP8 ? " VP8/90000" : " H264/90000").append("\r\n");
            s.append("a=rtcp-fb:").append(pt).append(" goog-remb\r\n");
            s.append("a=rtcp-fb:").append(pt).append(" ccm fir\r\n");
            s.append("a=rtcp-fb:").append(pt).append(" nack\r\n");
            s.append("a=rtcp-fb:").append(pt).append(" nack pli\r\n");
        }
        s.append("a=fmtp:").append(Codecs.H264)
                .append(" level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n");
    }
}
