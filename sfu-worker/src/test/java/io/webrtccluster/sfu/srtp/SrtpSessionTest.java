package io.webrtccluster.sfu.srtp;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.webrtccluster.sfu.Captured;
import io.webrtccluster.sfu.rtcp.Rtcp;
import io.webrtccluster.sfu.rtcp.RtcpPacket;
import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.sfu.sdp.Codecs;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class SrtpSessionTest {

    private static String dir(SrtpProfile p) {
        return p == SrtpProfile.AEAD_AES_128_GCM ? "gcm/" : "cm/";
    }

    private static Map<String, byte[]> keys(SrtpProfile p) {
        return Captured.read(dir(p) + "srtp-keys-" + p.name() + ".hex").stream()
                .collect(Collectors.toMap(Captured.Line::note, Captured.Line::bytes));
    }

    private static SrtpSession inbound(SrtpProfile p, String participant) {
        return SrtpSession.fromKeyingMaterial(p, keys(p).get(participant), true)[0];
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void chromiumSrtpDecryptsToOpusAndVp8WithTheDtlsExportedKeys(SrtpProfile p) {
        List<Captured.Line> lines = Captured.read(dir(p) + "srtp-" + p.name() + ".hex");
        Map<String, SrtpSession> sessions = new java.util.HashMap<>();
        int audio = 0;
        int video = 0;
        for (Captured.Line l : lines) {
            SrtpSession s = sessions.computeIfAbsent(l.note(), n -> inbound(p, n));
            byte[] buf = l.bytes().clone();
            int n = s.unprotectRtp(new SrtpSession.Buffer(buf, 0, buf.length));
            assertThat(n).as("authenticated").isPositive();
            RtpPacket rtp = RtpPacket.parse(buf, n);
            if (rtp.payloadType() == Codecs.OPUS) {
                audio++;
            } else if (rtp.payloadType() == Codecs.VP8) {
                video++;
            }
            String mid = rtp.stringExtension(Codecs.EXT_MID);
            if (mid != null) {
                assertThat(mid).isEqualTo(rtp.payloadType() == Codecs.OPUS ? "0" : "1");
            }
        }
        assertThat(audio).isPositive();
        assertThat(video).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void aReplayedOrTamperedPacketIsRejected(SrtpProfile p) {
        Captured.Line l = Captured.read(dir(p) + "srtp-" + p.name() + ".hex").get(0);
        SrtpSession s = inbound(p, l.note());
        byte[] first = l.bytes().clone();
        assertThat(s.unprotectRtp(new SrtpSession.Buffer(first, 0, first.length))).isPositive();
        byte[] replay = l.bytes().clone();
        assertThat(s.unprotectRtp(new SrtpSession.Buffer(replay, 0, replay.length))).isEqualTo(-1);

        Captured.Line other = Captured.read(dir(p) + "srtp-" + p.name() + ".hex").get(1);
        byte[] tampered = other.bytes().clone();
        tampered[tampered.length - 20] ^= 0x40;
        assertThat(inbound(p, other.note()).unprotectRtp(new SrtpSession.Buffer(tampered, 0, tampered.length))).isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void chromiumSrtcpDecryptsToSenderReports(SrtpProfile p) {
        List<Captured.Line> lines = Captured.read(dir(p) + "srtcp-" + p.name() + ".hex");
        Map<String, SrtpSession> sessions = new java.util.HashMap<>();
        int senderReports = 0;
        for (Captured.Line l : lines) {
            SrtpSession s = sessions.computeIfAbsent(l.note(), n -> inbound(p, n));
            byte[] buf = l.bytes().clone();
            int n = s.unprotectRtcp(new SrtpSession.Buffer(buf, 0, buf.length));
            assertThat(n).isPositive();
            List<RtcpPacket> packets = Rtcp.parse(buf, n);
            assertThat(packets.get(0)).isInstanceOfAny(RtcpPacket.SenderReport.class, RtcpPacket.ReceiverReport.class);
            senderReports += (int) packets.stream().filter(r -> r instanceof RtcpPacket.SenderReport).count();
        }
        assertThat(senderReports).isPositive();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void copiesProtectedInPlaceInOneReusedBufferEachDecryptOnTheBrowserSide(SrtpProfile p) {
        byte[] km = keys(p).values().iterator().next();
        SrtpSession workerOut = SrtpSession.fromKeyingMaterial(p, km, true)[1];
        SrtpSession browserIn = SrtpSession.fromKeyingMaterial(p, km, false)[0];
        Captured.Line l = Captured.read(dir(p) + "srtp-" + p.name() + ".hex").get(0);
        byte[] plain = l.bytes().clone();
        RtpPacket original = RtpPacket.parse(plain, inbound(p, l.note()).unprotectRtp(new SrtpSession.Buffer(plain, 0, plain.length)));
        byte[] scratch = new byte[2048 + 64];
        SrtpSession.Buffer buf = new SrtpSession.Buffer(scratch, 0, 0);
        for (int seq = 100; seq < 105; seq++) {
            int n = original.rewriteInto(scratch, 0x11223344L, seq, 90000L + seq);
            byte[] expected = java.util.Arrays.copyOf(scratch, n);
            buf.reset(scratch, n);
            assertThat(workerOut.protectRtp(buf)).isTrue();
            assertThat(buf.getBuffer()).as("no reallocation: the scratch buffer has room for the tag").isSameAs(scratch);
            byte[] wire = java.util.Arrays.copyOf(scratch, buf.getLength());
            int m = browserIn.unprotectRtp(new SrtpSession.Buffer(wire, 0, wire.length));
            assertThat(java.util.Arrays.copyOf(wire, m)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void whatTheWorkerProtectsTheBrowserSideCanUnprotect(SrtpProfile p) {
        byte[] km = keys(p).values().iterator().next();
        SrtpSession workerOut = SrtpSession.fromKeyingMaterial(p, km, true)[1];
        SrtpSession browserIn = SrtpSession.fromKeyingMaterial(p, km, false)[0];
        Captured.Line l = Captured.read(dir(p) + "srtp-" + p.name() + ".hex").get(0);
        byte[] plain = l.bytes().clone();
        int n = inbound(p, l.note()).unprotectRtp(new SrtpSession.Buffer(plain, 0, plain.length));
        RtpPacket original = RtpPacket.parse(plain, n);
        byte[] rewritten = original.rewrite(0x11223344L, 4242, 90000);
        byte[] protectedBytes = workerOut.protectRtp(rewritten);
        assertThat(protectedBytes.length).isGreaterThan(rewritten.length);
        int m = browserIn.unprotectRtp(new SrtpSession.Buffer(protectedBytes, 0, protectedBytes.length));
        assertThat(java.util.Arrays.copyOf(protectedBytes, m)).isEqualTo(rewritten);

        byte[] again = workerOut.protectRtp(rewritten);
        assertThat(again).as("a retransmission of the same sequence number is protected again").isNotNull();
        assertThat(browserIn.unprotectRtp(new SrtpSession.Buffer(again, 0, again.length))).as("but replay-rejected by the receiver that got it").isEqualTo(-1);

        byte[] pli = new RtcpPacket.Pli(1, 0x11223344L).marshal();
        byte[] srtcp = workerOut.protectRtcp(pli);
        SrtpSession browserRtcpIn = SrtpSession.fromKeyingMaterial(p, km, false)[0];
        int k = browserRtcpIn.unprotectRtcp(new SrtpSession.Buffer(srtcp, 0, srtcp.length));
        assertThat(Rtcp.parse(srtcp, k)).containsExactly(new RtcpPacket.Pli(1, 0x11223344L));
    }
}
