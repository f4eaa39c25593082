package io.webrtccluster.sfu.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import io.webrtccluster.sfu.Captured;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

@Tag(Tiers.UNIT)
class StunMessageTest {

    @ParameterizedTest
    @ValueSource(strings = {"gcm/stun-binding-request.hex", "cm/stun-binding-request.hex"})
    void chromiumBindingRequestsAuthenticateWithTheWorkersIcePassword(String resource) {
        List<Captured.Line> lines = Captured.read(resource);
        assertThat(lines).isNotEmpty();
        for (Captured.Line l : lines) {
            StunMessage m = StunMessage.parse(l.bytes(), l.bytes().length);
            assertThat(m.type()).isEqualTo(StunMessage.BINDING_REQUEST);
            assertThat(m.username()).contains(":");
            assertThat(m.attribute(StunMessage.ICE_CONTROLLING)).as("the browser controls against ICE-lite").isNotNull();
            assertThat(m.hasValidFingerprint()).isTrue();
            assertThat(m.hasValidIntegrity(l.note())).isTrue();
            assertThat(m.hasValidIntegrity(l.note() + "x")).isFalse();
        }
        assertThat(lines.stream().map(l -> StunMessage.parse(l.bytes(), l.bytes().length))
                .anyMatch(m -> m.attribute(StunMessage.USE_CANDIDATE) != null)).as("some request nominates").isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8, 24, 40})
    void aTamperedRequestFailsIntegrityOrFingerprint(int offset) {
        Captured.Line l = Captured.read("gcm/stun-binding-request.hex").get(0);
        byte[] b = l.bytes().clone();
        b[20 + offset] ^= 0x01;
        StunMessage m = StunMessage.parse(b, b.length);
        assertThat(m.hasValidIntegrity(l.note()) && m.hasValidFingerprint()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void successResponseCarriesTheXoredSourceAddressSignedAndFingerprinted(String ip) throws Exception {
        Captured.Line l = Captured.read("gcm/stun-binding-request.hex").get(0);
        StunMessage req = StunMessage.parse(l.bytes(), l.bytes().length);
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName(ip), 54321);
        byte[] resp = StunMessage.bindingSuccess(req.transactionId(), from, l.note());
        StunMessage r = StunMessage.parse(resp, resp.length);
        assertThat(r.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
        assertThat(r.transactionId()).isEqualTo(req.transactionId());
        assertThat(r.xorMappedAddress()).isEqualTo(from);
        assertThat(r.hasValidIntegrity(l.note())).isTrue();
        assertThat(r.hasValidFingerprint()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "00", "0001000021", "000100002112a442000000000000000000000000ff"})
    void garbageIsNotAcceptedAsStun(String hex) {
        byte[] b = java.util.HexFormat.of().parseHex(hex);
        boolean parsed;
        try {
            StunMessage.parse(b, b.length);
            parsed = true;
        } catch (IllegalArgumentException e) {
            parsed = false;
        }
        assertThat(parsed).isFalse();
    }
}
