package io.webrtccluster.contracts.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

// "unit" = io.webrtccluster.testing.Tiers.UNIT (contracts stays free of the test-harness dependency).
@Tag("unit")
class TurnServerConfTest {

    /** turnserver.conf as coturn reads it: {@code key[=value]} lines, repeatable keys, '#' comments. */
    static Map<String, List<String>> parse(String conf) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (String line : conf.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            String key = eq < 0 ? l : l.substring(0, eq);
            String value = eq < 0 ? "" : l.substring(eq + 1);
            options.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return options;
    }

    /** True when some denied-peer-ip range of the config covers the address. */
    static boolean denies(Map<String, List<String>> options, String ip) throws Exception {
        byte[] x = bytes(ip);
        for (String range : options.getOrDefault("denied-peer-ip", List.of())) {
            String[] ends = range.split("-");
            byte[] lo = bytes(ends[0]);
            byte[] hi = bytes(ends.length > 1 ? ends[1] : ends[0]);
            if (x.length == lo.length && compare(lo, x) <= 0 && compare(x, hi) <= 0) {
                return true;
            }
        }
        return false;
    }

    /** Address bytes as inet_pton (coturn) sees them: IPv6 text stays 16 bytes even when IPv4-mapped. */
    private static byte[] bytes(String ip) throws Exception {
        byte[] b = InetAddress.getByName(ip).getAddress();
        if (ip.contains(":") && b.length == 4) {
            byte[] m = new byte[16];
            m[10] = (byte) 0xff;
            m[11] = (byte) 0xff;
            System.arraycopy(b, 0, m, 12, 4);
            return m;
        }
        return b;
    }

    private static int compare(byte[] a, byte[] b) {
        for (int i = 0; i < a.length; i++) {
            int d = Integer.compare(a[i] & 0xff, b[i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    @Test
    void defaultConfigIsHardened() throws Exception {
        var options = parse(TurnServerConf.render(TurnServerConfig.builder("rooms.example").authSecrets("s3cret").build()));

        for (String flag : List.of("use-auth-secret", "no-cli", "no-multicast-peers", "no-tlsv1", "no-tlsv1_1",
                "fingerprint", "prometheus", "no-tcp-relay", "no-software-attribute")) {
            assertTrue(options.containsKey(flag), flag + " missing");
        }
        assertEquals(List.of("rooms.example"), options.get("realm"));
        assertEquals(List.of("s3cret"), options.get("static-auth-secret"));
        assertEquals(List.of("3478"), options.get("listening-port"));
        assertEquals(List.of("600"), options.get("stale-nonce"));
        assertEquals(List.of("12"), options.get("user-quota"));
        assertEquals(List.of("1200"), options.get("total-quota"));
        assertEquals(List.of("stdout"), options.get("log-file"));
        assertFalse(options.containsKey("allow-loopback-peers"));
        assertFalse(options.containsKey("lt-cred-mech"), "long-term users must not be enabled");
        assertFalse(options.get("denied-peer-ip").contains("0:0:0:0:0:0:0:0"),
                "coturn 4.6.1 reads the all-zero IPv6 address as every IPv4 peer and would refuse all relaying");

        for (String ip : List.of("0.0.0.0", "0.255.255.255", "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "100.64.0.1", "100.127.255.255", "169.254.169.254", "::1", "fd00::1", "fe80::1",
                "::ffff:10.0.0.1")) {
            assertTrue(denies(options, ip), ip + " must be denied");
        }
        for (String ip : List.of("8.8.8.8", "203.0.113.7", "198.51.100.20", "172.32.0.1", "100.128.0.1", "2001:db8::1")) {
            assertFalse(denies(options, ip), ip + " must stay reachable");
        }
    }

    @Test
    void clusterCidrsAndPoolSettingsAreRendered() throws Exception {
        var conf = TurnServerConfig.builder("pool")
                .authSecrets("current", "previous")
                .relayPorts(50000, 50100)
                .externalIp("203.0.113.10/10.0.0.5")
                .denyPeers("198.51.100.0/24", "2001:db8:42::/48")
                .quotas(3, 30)
                .listeningIps("10.0.0.5")
                .relayIps("10.0.0.5")
                .tls(new TlsFiles("/tls/tls.crt", "/tls/tls.key"))
                .build();
        var options = parse(TurnServerConf.render(conf));

        assertEquals(List.of("current", "previous"), options.get("static-auth-secret"), "both rotation secrets accepted");
        assertEquals(List.of("50000"), options.get("min-port"));
        assertEquals(List.of("50100"), options.get("max-port"));
        assertEquals(List.of("203.0.113.10/10.0.0.5"), options.get("external-ip"));
        assertEquals(List.of("3"), options.get("user-quota"));
        assertEquals(List.of("30"), options.get("total-quota"));
        assertEquals(List.of("10.0.0.5"), options.get("listening-ip"));
        assertEquals(List.of("10.0.0.5"), options.get("relay-ip"));
        assertEquals(List.of("/tls/tls.crt"), options.get("cert"));
        assertEquals(List.of("5349"), options.get("tls-listening-port"));
        assertFalse(options.containsKey("no-tls"));
        assertTrue(options.get("denied-peer-ip").contains("198.51.100.0-198.51.100.255"));
        assertTrue(denies(options, "2001:db8:42::9"));
        assertTrue(denies(options, "198.51.100.20"));
    }

    @Test
    void labConfigCanRelayToLoopbackButStillDeniesEverythingElse() throws Exception {
        var options = parse(TurnServerConf.render(TurnServerConfig.builder("lab").authSecrets("x")
                .allowLoopbackPeers(true).prometheus(false).allowPeers("10.99.0.7").build()));

        assertTrue(options.containsKey("allow-loopback-peers"));
        assertFalse(denies(options, "127.0.0.1"));
        assertTrue(denies(options, "169.254.169.254"));
        assertFalse(options.containsKey("prometheus"));
        assertEquals(List.of("10.99.0.7"), options.get("allowed-peer-ip"));
    }

    @Test
    void secretsCanStayOutOfTheFile() {
        var options = parse(TurnServerConf.render(TurnServerConfig.builder("pool").build()));
        assertTrue(options.containsKey("use-auth-secret"));
        assertFalse(options.containsKey("static-auth-secret"));
    }

    @Test
    void valuesThatWouldInjectOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> TurnServerConfig.builder("pool").authSecrets("a\nallow-loopback-peers").build());
        assertThrows(IllegalArgumentException.class, () -> TurnServerConfig.builder("my realm").build());
        assertThrows(IllegalArgumentException.class, () -> TurnServerConfig.builder("pool").authSecrets("a", "b", "c").build());
        var e = assertThrows(IllegalArgumentException.class, () -> TurnServerConfig.builder("pool").relayPorts(50000, 50000).build());
        assertTrue(e.getMessage().contains("minRelayPort"));
    }
}
