package io.webrtccluster.sfu.rtp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.webrtccluster.sfu.Captured;
import io.webrtccluster.sfu.sdp.Codecs;
import io.webrtccluster.sfu.srtp.SrtpProfile;
import io.webrtccluster.sfu.srtp.SrtpSession;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class RtpPacketTest {

    /** Plain RTP from the captured GCM session (decrypted with the captured keys). */
    static List<RtpPacket> capturedPlainRtp() {
        SrtpProfile p = SrtpProfile.AEAD_AES_128_GCM;
        java.util.Map<String, byte[]> keys = new java.util.HashMap<>();
        Captured.read("gcm/srtp-keys-" + p.name() + ".hex").forEach(l -> keys.put(l.note(), l.bytes()));
        java.util.Map<String, SrtpSession> sessions = new java.util.HashMap<>();
        List<RtpPacket> out = new ArrayList<>();
        for (Captured.Line l : Captured.read("gcm/srtp-" + p.name() + ".hex")) {
            SrtpSession s = sessions.computeIfAbsent(l.note(), n -> SrtpSession.fromKeyingMaterial(p, keys.get(n), true)[0]);
            byte[] b = l.bytes().clone();
            int n = s.unprotectRtp(new SrtpSession.Buffer(b, 0, b.length));
            out.add(RtpPacket.parse(b, n));
        }
        return out;
    }

    @Test
    void chromiumPacketsCarryMidAndAbsSendTimeExtensions() {
        List<RtpPacket> packets = capturedPlainRtp();
        assertThat(packets).allSatisfy(p -> assertThat(p.extensionOffset()).isPositive());
        assertThat(packets).anySatisfy(p -> assertThat(p.extension(Codecs.EXT_ABS_SEND_TIME)).hasSize(3));
        assertThat(packets).anySatisfy(p -> assertThat(p.stringExtension(Codecs.EXT_MID)).isEqualTo("1"));
    }

    @Test
    void rewriteGivesTheSubscribersSsrcSequenceAndTimestampAndKeepsThePayload() {
        for (RtpPacket p : capturedPlainRtp()) {
            byte[] out = p.rewrite(0xCAFEBABEL, 65535, 0xFFFFFFF0L);
            RtpPacket r = RtpPacket.parse(out, out.length);
            assertThat(r.ssrc()).isEqualTo(0xCAFEBABEL);
            assertThat(r.sequenceNumber()).isEqualTo(65535);
            assertThat(r.timestamp()).isEqualTo(0xFFFFFFF0L);
            assertThat(r.payloadType()).isEqualTo(p.payloadType());
            assertThat(r.marker()).isEqualTo(p.marker());
            assertThat(r.extensionOffset()).as("publisher's extensions are not forwarded").isEqualTo(-1);
            assertThat(Arrays.copyOfRange(out, r.payloadOffset(), out.length))
                    .isEqualTo(Arrays.copyOfRange(p.bytes(), p.payloadOffset(), p.length()));
        }
    }

    @Test
    void rewriteIntoAReusedBufferWritesExactlyWhatRewriteReturns() {
        byte[] scratch = new byte[2048 + 64];
        Arrays.fill(scratch, (byte) 0x5A); // left over from a previous, longer copy
        for (RtpPacket p : capturedPlainRtp()) {
            int n = p.rewriteInto(scratch, 0x01020304L, 7, 123456L);
            assertThat(n).isEqualTo(p.rewrittenLength());
            assertThat(Arrays.copyOf(scratch, n)).isEqualTo(p.rewrite(0x01020304L, 7, 123456L));
        }
    }

    @Test
    void theFirstVp8PacketOfAStreamStartsAKeyframeAndLaterOnesDoNot() {
        List<RtpPacket> video = capturedPlainRtp().stream().filter(p -> p.payloadType() == Codecs.VP8).toList();
        assertThat(video).isNotEmpty();
        long keyframeStarts = video.stream().filter(p -> Keyframes.isKeyframeStart("VP8", p)).count();
        assertThat(keyframeStarts).isPositive();
        assertThat(keyframeStarts).isLessThan(video.size());
    }

    @Test
    void h264KeyframeStartsAreRecognisedInSingleNalStapAAndFuA() {
        assertThat(Keyframes.h264(new byte[]{0x65, 0x00}, 0, 2)).isTrue();                 // IDR
        assertThat(Keyframes.h264(new byte[]{0x41, 0x00}, 0, 2)).isFalse();                // non-IDR slice
        assertThat(Keyframes.h264(new byte[]{0x18, 0x00, 0x02, 0x67, 0x42}, 0, 5)).isTrue(); // STAP-A with SPS
        assertThat(Keyframes.h264(new byte[]{0x7c, (byte) 0x85}, 0, 2)).isTrue();          // FU-A start of IDR
        assertThat(Keyframes.h264(new byte[]{0x7c, 0x05}, 0, 2)).isFalse();                // FU-A continuation
    }

    @Test
    void receiveStatisticsReportGapsForNackAndLossInReports() {
        ReceiveStatistics s = new ReceiveStatistics(1, 90000);
        assertThat(s.onPacket(65534, 0, 0)).isEmpty();
        assertThat(s.onPacket(65535, 0, 10)).isEmpty();
        assertThat(s.onPacket(2, 0, 20)).containsExactly(0, 1);
        assertThat(s.onPacket(0, 0, 30)).isEmpty();
        var rb = s.reportBlock(100);
        assertThat(rb.highestSequence()).isEqualTo(65536 + 2);
        assertThat(rb.cumulativeLost()).isEqualTo(1);
        assertThat(rb.fractionLost()).isEqualTo(256 / 5);
    }
}
