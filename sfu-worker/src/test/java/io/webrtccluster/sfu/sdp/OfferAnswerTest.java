package io.webrtccluster.sfu.sdp;

import java.util.List;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class OfferAnswerTest {
    private static final OfferWriter.Transport T = new OfferWriter.Transport("ufragufragufrag1", "pwdpwdpwdpwdpwdpwdpwdpwd",
            "AA:BB", "203.0.113.7", 40000);

    @Test
    void offerIsBundledIceLiteWithOneHostCandidateAndRecvonlyPublishLines() {
        String sdp = OfferWriter.write(1, 1, T, List.of(
                new MediaSection("0", "audio", "recvonly", 0, null, null, List.of()),
                new MediaSection("1", "video", "recvonly", 0, null, null, List.of("q", "h", "f")),
                new MediaSection("2", "video", "sendonly", 1234, "bob", "bob-video", List.of()),
                new MediaSection("3", "audio", "sendonly", 99, "carol", "carol-audio", List.of()).close()));
        assertThat(sdp).contains("a=ice-lite\r\n", "a=group:BUNDLE 0 1 2\r\n", "a=setup:actpass\r\n",
                "a=fingerprint:sha-256 AA:BB\r\n", "a=candidate:1 1 udp 2130706431 203.0.113.7 40000 typ host",
                "a=simulcast:recv q;h;f\r\n", "a=rid:q recv\r\n", "a=ssrc:1234 msid:bob bob-video\r\n",
                "a=rtcp-fb:96 nack pli\r\n", "a=rtcp-fb:96 goog-remb\r\n", "a=rtpmap:111 opus/48000/2\r\n");
        assertThat(sdp).contains("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 203.0.113.7\r\na=mid:3\r\na=inactive");
        assertThat(sdp.split("m=")).hasSize(5);
    }

    @Test
    void answerShapedLikeChromiumsGivesFingerprintRoleAndWhatIsSent() {
        String answer = String.join("\r\n", "v=0", "o=- 3176195706661939401 3 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "a=group:BUNDLE 0 1 2", "a=extmap-allow-mixed", "a=msid-semantic: WMS c9f2",
                "m=audio 36885 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1",
                "a=candidate:3294461826 1 udp 2122194687 127.0.0.1 36885 typ host generation 0 network-id 3",
                "a=ice-ufrag:YQW8", "a=ice-pwd:IVL7EaUc9oK9nnaVqFmVsWIF", "a=ice-options:trickle",
                "a=fingerprint:sha-256 84:8A:0F:65:9D:95:C9:EC:52:D7:A6:3C:BA:80:87:9D:60:88:A6:9F:99:CF:DA:16:DB:A2:9F:01:AF:8D:C9:45",
                "a=setup:active", "a=mid:0", "a=extmap:1 urn:ietf:params:rtp-hdrext:sdes:mid", "a=sendonly",
                "a=msid:c9f2 95f2", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "a=ssrc:2167903366 cname:vZaD2MNz57qbetLL",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 102", "c=IN IP4 0.0.0.0", "a=setup:active", "a=mid:1", "a=sendonly",
                "a=rid:q send", "a=rid:h send", "a=rid:f send", "a=simulcast:send q;h;f",
                "m=video 9 UDP/TLS/RTP/SAVPF 96 102", "c=IN IP4 0.0.0.0", "a=setup:active", "a=mid:2", "a=recvonly", "");
        Answer a = Answer.parse(answer);
        assertThat(a.iceUfrag()).isEqualTo("YQW8");
        assertThat(a.setup()).isEqualTo("active");
        assertThat(a.fingerprint()).startsWith("84:8A:0F");
        assertThat(a.section("0").ssrcs()).containsExactly(2167903366L);
        assertThat(a.section("0").payloadType()).isEqualTo(111);
        assertThat(a.section("1").rids()).containsExactly("q", "h", "f");
        assertThat(a.section("2").direction()).isEqualTo("recvonly");
    }
}
