package io.webrtccluster.natlab;

/**
 * The NAT behaviours the lab's routers emulate (RFC 4787 terms: mapping and filtering behaviour), each as the
 * nftables ruleset of a router whose WAN side is {@code wan} and whose one client is behind {@code lan}.
 */
enum NatType {
    /** The client sits directly on the public network. */
    NONE("none", "Endpoint Independent Mapping", "Endpoint Independent Filtering"),
    /**
     * Linux has no full-cone NAT: masquerade keeps the client's port, every port the client sends from is remembered
     * in a set, and anything arriving on such a port from anywhere is forwarded back to the client.
     */
    FULL_CONE("full-cone", "Endpoint Independent Mapping", "Endpoint Independent Filtering"),
    /** Plain masquerade: Linux keeps the source port (endpoint-independent mapping), conntrack filters per address and port. */
    PORT_RESTRICTED("port-restricted", "Endpoint Independent Mapping", "Address and Port Dependent Filtering"),
    /** A fresh random port per destination: the srflx port learnt from STUN is useless to any other peer. */
    SYMMETRIC("symmetric", "Address and Port Dependent Mapping", "Address and Port Dependent Filtering");

    final String label;
    /** What {@code turnutils_natdiscovery -m -f} reports for a router of this type. */
    final String mapping;
    final String filtering;

    NatType(String label, String mapping, String filtering) {
        this.label = label;
        this.mapping = mapping;
        this.filtering = filtering;
    }

    /**
     * The router's nftables ruleset; {@code clientIp} is the one host on the LAN side. Every router drops unsolicited
     * packets addressed to itself before conntrack confirms them: otherwise a peer's early connectivity check would
     * leave a conntrack entry on exactly the port pair the client is about to use, masquerade would pick another
     * source port, and a cone NAT would turn symmetric for that peer (plain Linux does this to hole punching).
     */
    String ruleset(String clientIp) {
        return switch (this) {
            case NONE -> throw new IllegalStateException("no router without NAT");
            case FULL_CONE -> """
                    table ip natlab {
                      chain input {
                        type filter hook input priority filter;
                        iifname "wan" ct state new drop
                      }
                      set mapped { type inet_service; flags dynamic,timeout; timeout 120s; }
                      chain forward {
                        type filter hook forward priority filter;
                        iifname "lan" meta l4proto udp update @mapped { udp sport }
                      }
                      chain prerouting {
                        type nat hook prerouting priority dstnat;
                        iifname "wan" udp dport @mapped dnat to %s
                      }
                      chain postrouting {
                        type nat hook postrouting priority srcnat;
                        oifname "wan" masquerade
                      }
                    }
                    """.formatted(clientIp);
            case PORT_RESTRICTED -> """
                    table ip natlab {
                      chain input {
                        type filter hook input priority filter;
                        iifname "wan" ct state new drop
                      }
                      chain postrouting {
                        type nat hook postrouting priority srcnat;
                        oifname "wan" masquerade
                      }
                    }
                    """;
            case SYMMETRIC -> """
                    table ip natlab {
                      chain input {
                        type filter hook input priority filter;
                        iifname "wan" ct state new drop
                      }
                      chain postrouting {
                        type nat hook postrouting priority srcnat;
                        oifname "wan" masquerade fully-random
                      }
                    }
                    """;
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
