package io.webrtccluster.contracts.turn;

import java.util.List;

/**
 * Address blocks a relay must never forward to, whatever the pool's configuration: without these a TURN
 * server is an open proxy into the network it runs in (cluster pods, the node, the cloud metadata service).
 * Cluster pod/service CIDRs come on top, from the pool's configuration.
 */
public final class DeniedPeers {

    public static final List<Cidr> IPV4 = List.of(
            Cidr.parse("0.0.0.0/8"),        // "this network"
            Cidr.parse("10.0.0.0/8"),       // RFC 1918
            Cidr.parse("100.64.0.0/10"),    // CGNAT shared space, often the cluster's own network
            Cidr.parse("127.0.0.0/8"),      // loopback
            Cidr.parse("169.254.0.0/16"),   // link-local, includes the metadata service 169.254.169.254
            Cidr.parse("172.16.0.0/12"),    // RFC 1918
            Cidr.parse("192.0.0.0/24"),     // IETF protocol assignments
            Cidr.parse("192.168.0.0/16"),   // RFC 1918
            Cidr.parse("198.18.0.0/15"),    // benchmarking
            Cidr.parse("240.0.0.0/4"),      // reserved
            Cidr.parse("255.255.255.255")); // broadcast

    // No "::/128" (unspecified): coturn 4.6.1 reads denied-peer-ip=0:0:0:0:0:0:0:0 as covering every IPv4 peer
    // and refuses all relaying; it already refuses all-zero peers on its own (found by natlab RelayAbuseIT).
    public static final List<Cidr> IPV6 = List.of(
            Cidr.parse("::1/128"),          // loopback
            Cidr.parse("::ffff:0:0/96"),    // IPv4-mapped: would bypass every IPv4 rule above
            Cidr.parse("fc00::/7"),         // unique local
            Cidr.parse("fe80::/10"));       // link-local

    /** The loopback blocks, left out when a lab explicitly allows loopback peers. */
    public static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));

    private DeniedPeers() {
    }
}
