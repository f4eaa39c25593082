package io.webrtccluster.contracts.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class CidrTest {

    @Test
    void blocksRenderAsCoturnRanges() {
        assertEquals("10.0.0.0-10.255.255.255", Cidr.parse("10.0.0.0/8").toCoturnRange());
        assertEquals("100.64.0.0-100.127.255.255", Cidr.parse("100.64.0.0/10").toCoturnRange());
        assertEquals("10.96.0.0-10.96.15.255", Cidr.parse("10.96.3.4/20").toCoturnRange(), "host bits are cleared");
        assertEquals("169.254.169.254", Cidr.parse("169.254.169.254").toCoturnRange());
        assertEquals("fe80:0:0:0:0:0:0:0-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Cidr.parse("fe80::/10").toCoturnRange());
        assertEquals("0.0.0.0-255.255.255.255", Cidr.parse("0.0.0.0/0").toCoturnRange());
    }

    @Test
    void containsChecksTheFamilyAndThePrefix() throws Exception {
        Cidr c = Cidr.parse("172.16.0.0/12");
        assertTrue(c.contains(InetAddress.getByName("172.31.1.1")));
        assertFalse(c.contains(InetAddress.getByName("172.32.0.1")));
        assertFalse(c.contains(InetAddress.getByName("::1")));
    }

    @Test
    void hostNamesAndBadPrefixesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
    }
}
