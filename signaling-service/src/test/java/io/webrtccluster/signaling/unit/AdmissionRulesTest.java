package io.webrtccluster.signaling.unit;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.webrtccluster.signaling.admission.AuthFailures;
import io.webrtccluster.signaling.admission.ClientAddress;
import io.webrtccluster.signaling.admission.ConnectionLimits;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who a connection is counted as, and when an address is turned away. */
@Tag(Tiers.UNIT)
class AdmissionRulesTest {
    final ClientAddress behindIngress = new ClientAddress(List.of("10.244.0.0/16", "fd00::/8"));
    final ClientAddress direct = new ClientAddress(List.of());

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "10.244.1.7:5555 | 203.0.113.9                  | 203.0.113.9",   // the ingress says who it is
        "10.244.1.7      | 198.51.100.1, 203.0.113.9    | 203.0.113.9",   // the client's own entry is not believed
        "10.244.1.7      | 203.0.113.9, 10.244.3.3      | 203.0.113.9",   // a chain of trusted proxies is walked
        "10.244.1.7      | -                            | 10.244.1.7",
        "10.244.1.7      | not-an-ip                    | 10.244.1.7",    // garbage: the last real hop
        "203.0.113.50    | 1.2.3.4                      | 203.0.113.50",  // an untrusted peer cannot claim another address
        "[fd00::1]:443   | 2001:db8::5                  | 2001:db8::5",
        "::1             | 1.2.3.4                      | ::1",
    })
    void theClientAddressIsBelievedOnlyFromTrustedProxies(String peer, String forwardedFor, String expected) {
        assertEquals(expected, behindIngress.of(peer, forwardedFor));
    }

    @Test
    void withoutTrustedProxiesTheHeaderIsIgnored() {
        assertEquals("10.244.1.7", direct.of("10.244.1.7:1234", "203.0.113.9"));
    }

    @Test
    void aTrustedProxyListThatIsNotAddressesFailsAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("ingress.local")));
        assertThrows(IllegalArgumentException.class, () -> new ClientAddress(List.of("10.0.0.0/33")));
    }

    @Test
    void anAddressAtItsCapIsRefusedWhileOthersStillGetTheirShare() {
        ConnectionLimits limits = new ConnectionLimits(5, 2);
        assertNull(limits.tryOpen("a"));
        assertNull(limits.tryOpen("a"));
        assertEquals(ConnectionLimits.Refusal.ADDRESS_FULL, limits.tryOpen("a"));
        assertNull(limits.tryOpen("b"));
        assertNull(limits.tryOpen("b"));
        assertNull(limits.tryOpen("c"));
        assertEquals(ConnectionLimits.Refusal.REPLICA_FULL, limits.tryOpen("d"));
        assertEquals(5, limits.open());
        limits.closed("a");
        assertNull(limits.tryOpen("d"));
        assertEquals(ConnectionLimits.Refusal.REPLICA_FULL, limits.tryOpen("a"));
    }

    @Test
    void theDefaultReplicaCapLeavesDescriptorsFree() {
        long fds = ((com.sun.management.UnixOperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        assertEquals(fds - 256, ConnectionLimits.fromDescriptorLimit(256));
    }

    @Test
    void failedAuthenticationsEmptyTheBucketWhichRefillsOverAMinute() {
        AtomicLong now = new AtomicLong();
        AuthFailures failures = new AuthFailures(6, now::get);
        for (int i = 0; i < 6; i++) {
            assertNull(failures.retryAfter("a"), "try " + i);
            failures.failed("a");
        }
        Duration wait = failures.retryAfter("a");
        assertNotNull(wait);
        assertEquals(10, wait.toSeconds()); // 6 a minute: one every 10 s
        assertNull(failures.retryAfter("b"), "other addresses are not affected");
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertNull(failures.retryAfter("a"));
        failures.failed("a");
        assertTrue(failures.retryAfter("a").toSeconds() > 0);
    }
}
