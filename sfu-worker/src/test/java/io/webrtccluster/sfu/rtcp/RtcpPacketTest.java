package io.webrtccluster.sfu.rtcp;

import java.util.List;

import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class RtcpPacketTest {

    @Test
    void feedbackTheWorkerSendsParsesBackToTheSameValues() {
        List<RtcpPacket> packets = List.of(
                new RtcpPacket.ReceiverReport(7, List.of(new RtcpPacket.ReportBlock(9, 12, 34, 70000, 5, 0x12345678L, 6553))),
                new RtcpPacket.SenderReport(7, Rtcp.ntp(1_700_000_000_000L), 123456, 10, 1000, List.of()),
                new RtcpPacket.Pli(7, 9),
                new RtcpPacket.Nack(7, 9, List.of(100, 101, 116, 117, 200)),
                new RtcpPacket.Remb(7, 2_500_000, List.of(9L, 10L)));
        byte[] compound = Rtcp.compound(packets);
        List<RtcpPacket> parsed = Rtcp.parse(compound, compound.length);
        assertThat(parsed).hasSize(5);
        assertThat(parsed.subList(0, 4)).isEqualTo(packets.subList(0, 4));
        RtcpPacket.Remb remb = (RtcpPacket.Remb) parsed.get(4);
        assertThat(remb.ssrcs()).containsExactly(9L, 10L);
        assertThat(remb.bitrate()).isBetween(2_490_000L, 2_500_000L);
    }

    @Test
    void nackBitmaskCoversSixteenFollowingSequenceNumbers() {
        byte[] nack = new RtcpPacket.Nack(1, 2, List.of(65535, 0, 15)).marshal();
        assertThat(nack).hasSize(16);
        assertThat(((RtcpPacket.Nack) Rtcp.parse(nack, nack.length).get(0)).lost()).containsExactly(65535, 0, 15);
    }

    @Test
    void firAndUnknownPacketsAreKept() {
        byte[] fir = new RtcpPacket.Fir(1, List.of(2L, 3L)).marshal();
        byte[] bye = {(byte) 0x81, (byte) 203, 0, 1, 0, 0, 0, 5};
        byte[] both = new byte[fir.length + bye.length];
        System.arraycopy(fir, 0, both, 0, fir.length);
        System.arraycopy(bye, 0, both, fir.length, bye.length);
        List<RtcpPacket> parsed = Rtcp.parse(both, both.length);
        assertThat(((RtcpPacket.Fir) parsed.get(0)).mediaSsrcs()).containsExactly(2L, 3L);
        assertThat(parsed.get(1)).isInstanceOf(RtcpPacket.Other.class);
    }

    @Test
    void ntpCompactFormUsedForRoundTripTimes() {
        long ntp = Rtcp.ntp(1000);
        assertThat(ntp >>> 32).isEqualTo(2208988801L);
        assertThat(Rtcp.compactNtp(Rtcp.ntp(1500)) - Rtcp.compactNtp(Rtcp.ntp(1000))).isBetween(32767L, 32769L);
    }
}
