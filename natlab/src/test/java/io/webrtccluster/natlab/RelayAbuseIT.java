package io.webrtccluster.natlab;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.webrtccluster.contracts.turn.TurnCredential;
import io.webrtccluster.contracts.turn.TurnRestCredentials;
import io.webrtccluster.testing.ManagedProcess;
import io.webrtccluster.testing.Tiers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A relay configured by the shared renderer is not an open door: a real TURN client inside the lab tries to reach
 * every forbidden block, where lab hosts listen and count packets, and tries stale, foreign and excess credentials.
 * A public lab peer is reachable through the same relay, so the refusals are refusals and not a broken relay.
 */
@Tag(Tiers.NATLAB)
class RelayAbuseIT {
    private static final int TURN_PORT = 3478;
    private static final int PEER_PORT = 3480;
    private static final int USER_QUOTA = 2;

    private static NatLab lab;
    private static Coturn coturn;
    private static Site client;
    private static Site publicPeer;
    private static final List<ManagedProcess> listeners = new ArrayList<>();

    @BeforeAll
    static void startLab() {
        lab = NatLab.create(List.of(NatType.NONE, NatType.NONE));
        client = lab.site(NatType.NONE, 0);
        publicPeer = lab.site(NatType.NONE, 1);
        coturn = Coturn.start(lab.publicNet(), LabCoturn.config(TURN_PORT).quotas(USER_QUOTA, 100).build());
        // UDP echo servers at the allowed peer, at every interior host and on coturn's own loopback: a leaked packet is answered.
        listeners.add(echo(publicPeer.client(), publicPeer.clientIp()));
        for (String host : lab.interiorHosts()) {
            listeners.add(echo(lab.interior(), host));
        }
        listeners.add(echo(lab.publicNet(), "127.0.0.1"));
        // Packet counters: at the allowed peer (must move) and on the relay's loopback (must not).
        publicPeer.client().nft(counterOn("iifname \"eth0\" udp dport " + PEER_PORT));
        lab.publicNet().nft(counterOn("iifname \"lo\" udp dport " + PEER_PORT));
    }

    private static String counterOn(String match) {
        return "table ip leak {\n  chain input {\n    type filter hook input priority filter;\n    " + match + " counter\n  }\n}\n";
    }

    private static ManagedProcess echo(NetNamespace ns, String ip) {
        return ManagedProcess.start("turn-peer-" + ip, ns.wrap("turnutils_peer", "-L", ip, "-p", Integer.toString(PEER_PORT)));
    }

    @AfterAll
    static void stopLab() {
        listeners.forEach(l -> l.stop(Duration.ofSeconds(1)));
        if (coturn != null) {
            coturn.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private static TurnCredential credential(String user) {
        return TurnRestCredentials.mint(LabCoturn.SECRET, user + "-" + System.nanoTime(), Instant.now(), Duration.ofMinutes(10));
    }

    private static TurnClient.Outcome relayTo(String peer, TurnCredential credential, int allocations, boolean sendIndications) {
        return TurnClient.relay(client.client(), NatLab.PUBLIC_IP, TURN_PORT, credential, peer, PEER_PORT, 5, allocations,
                sendIndications);
    }

    private static long packets(NetNamespace ns) {
        String listing = ns.exec("nft", "list", "table", "ip", "leak");
        var m = java.util.regex.Pattern.compile("counter packets (\\d+)").matcher(listing);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Also guards the renderer: a deny list coturn misreads (::/128 once covered all IPv4 in 4.6.1) fails here. */
    @Test
    void relaysToAnAllowedPublicPeer() {
        long before = packets(publicPeer.client());
        TurnClient.Outcome out = relayTo(publicPeer.clientIp(), credential("control"), 1, false);
        assertTrue(out.allocations() >= 1, out::toString);
        assertEquals(List.of(), out.refusals(), out::toString);
        assertEquals(5, out.echoed(), () -> "every message comes back through the relay\n" + out);
        assertTrue(packets(publicPeer.client()) - before >= 5, "the peer saw the relayed packets");
    }

    static Stream<Arguments> forbiddenPeers() {
        return Stream.of(
                Arguments.of("127.0.0.1", "loopback of the relay itself"),
                Arguments.of("10.0.0.10", "RFC 1918 10/8"),
                Arguments.of("172.16.0.10", "RFC 1918 172.16/12"),
                Arguments.of("192.168.255.10", "RFC 1918 192.168/16"),
                Arguments.of("100.64.0.10", "CGNAT 100.64/10"),
                Arguments.of("169.254.169.254", "cloud metadata (link-local)"),
                Arguments.of("0.0.0.10", "'this network' 0/8"),
                Arguments.of("198.51.100.200", "configured cluster range " + NatLab.CLUSTER_CIDR));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("forbiddenPeers")
    void refusesToRelayInto(String peer, String block) {
        boolean loopback = peer.startsWith("127.");
        if (!loopback) {
            assertTrue(lab.interiorHosts().contains(peer), () -> "lab host " + peer + " must exist to detect a leak");
        }
        long loopbackBefore = packets(lab.publicNet());
        Map<String, Long> interiorBefore = lab.interiorPacketCounts();
        // Both ways a client asks for a peer: ChannelBind and CreatePermission (+ Send indications).
        for (boolean sendIndications : List.of(false, true)) {
            TurnClient.Outcome out = relayTo(peer, credential("abuse"), 1, sendIndications);
            assertTrue(out.allocations() >= 1, () -> "the allocation itself is fine\n" + out);
            assertEquals(List.of("403 Forbidden IP"), out.refusals(), () -> block + " via " + (sendIndications ? "send" : "channel") + "\n" + out);
            assertEquals(0, out.echoed(), out::toString);
        }
        assertEquals(interiorBefore, lab.interiorPacketCounts(), "no packet reached any interior host");
        assertEquals(loopbackBefore, packets(lab.publicNet()), "no packet reached the relay's loopback");
    }

    @Test
    void leakDetectorCountsWhatAMisconfiguredRelayLetsThrough() {
        // A relay told to allow one interior host does reach it, and the interior counter sees it: a zero above is real.
        String victim = "10.0.0.10";
        long before = lab.interiorPacketCounts().get(victim);
        try (Coturn leaky = Coturn.start(lab.publicNet(), LabCoturn.config(TURN_PORT + 200).allowPeers(victim + "/32").build())) {
            TurnClient.Outcome out = TurnClient.relay(client.client(), NatLab.PUBLIC_IP, TURN_PORT + 200, credential("leaky"),
                    victim, PEER_PORT, 5, 1, false);
            assertEquals(5, out.echoed(), out::toString);
        }
        assertTrue(lab.interiorPacketCounts().get(victim) - before >= 5, "the interior host counted the leaked packets");
    }

    @Test
    void aRotatedPoolAcceptsCredentialsFromTheNewAndThePreviousSecretOnly() {
        // During a rotation's grace window the operator renders both secrets (current first); calls that hold
        // credentials minted before the rotation keep relaying, new ones use the new secret, strangers still fail.
        String rotated = "lab-pool-secret-next";
        int port = TURN_PORT + 300;
        try (Coturn rotating = Coturn.start(lab.publicNet(), LabCoturn.config(port).authSecrets(rotated, LabCoturn.SECRET).build())) {
            for (String secret : List.of(LabCoturn.SECRET, rotated)) {
                TurnCredential c = TurnRestCredentials.mint(secret, "rotation-" + System.nanoTime(), Instant.now(), Duration.ofMinutes(10));
                TurnClient.Outcome out = TurnClient.relay(client.client(), NatLab.PUBLIC_IP, port, c, publicPeer.clientIp(),
                        PEER_PORT, 5, 1, false);
                assertEquals(5, out.echoed(), () -> "relays with a credential from " + secret + "\n" + out);
            }
            TurnCredential foreign = TurnRestCredentials.mint(LabCoturn.OTHER_POOL_SECRET, "rotation-foreign-" + System.nanoTime(),
                    Instant.now(), Duration.ofMinutes(10));
            TurnClient.Outcome out = TurnClient.relay(client.client(), NatLab.PUBLIC_IP, port, foreign, publicPeer.clientIp(),
                    PEER_PORT, 5, 1, false);
            assertTrue(out.allocationFailed(), out::toString);
        }
    }

    @Test
    void refusesAnExpiredCredential() {
        TurnCredential expired = TurnRestCredentials.mint(LabCoturn.SECRET, "expired-" + System.nanoTime(),
                Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(10));
        assertRefusedCredential(expired);
    }

    @Test
    void refusesACredentialMintedForAnotherPool() {
        TurnCredential foreign = TurnRestCredentials.mint(LabCoturn.OTHER_POOL_SECRET, "foreign-" + System.nanoTime(),
                Instant.now(), Duration.ofMinutes(10));
        assertRefusedCredential(foreign);
    }

    private static void assertRefusedCredential(TurnCredential credential) {
        long before = packets(publicPeer.client());
        TurnClient.Outcome out = relayTo(publicPeer.clientIp(), credential, 1, false);
        assertTrue(out.allocationFailed(), out::toString);
        assertEquals(0, out.allocations(), out::toString);
        // uclient does not print the 401 itself; coturn's session log says what it answered to exactly this user.
        assertTrue(coturn.logText().lines().anyMatch(l -> l.contains("user <" + credential.username() + ">")
                        && l.contains("error 401: Unauthorized")),
                () -> "coturn answered 401 to " + credential.username() + ":\n" + coturn.logText());
        assertTrue(coturn.logText().lines().noneMatch(l -> l.contains("user <" + credential.username() + ">")
                        && l.contains("success")), "never an allocation for that user");
        assertEquals(before, packets(publicPeer.client()), "nothing was relayed");
    }

    @Test
    void refusesAllocationsBeyondTheUserQuota() {
        // uclient opens two allocations per simulated client, so two clients ask for four.
        TurnClient.Outcome out = relayTo(publicPeer.clientIp(), credential("greedy"), USER_QUOTA, false);
        assertEquals(USER_QUOTA, out.allocations(), out::toString);
        assertEquals(List.of("486 Allocation Quota Reached"), out.refusals(), out::toString);
    }
}
