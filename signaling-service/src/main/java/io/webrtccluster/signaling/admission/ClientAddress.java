package io.webrtccluster.signaling.admission;

import java.util.Arrays;
import java.util.List;

import io.netty.util.NetUtil;

/**
 * Which address a request comes from, for per-address limits. The socket's peer is the client unless it is
 * one of the trusted proxies (the ingress): then the client is the right-most X-Forwarded-For entry that is
 * not itself a trusted proxy. Entries a client wrote itself sit further left and are never believed.
 */
public final class ClientAddress {
    private final List<Cidr> trusted;

    public ClientAddress(List<String> trustedProxies) {
        this.trusted = trustedProxies.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Cidr::parse).toList();
    }

    /**
     * @param peer          the socket's remote host (an IP literal, optionally with ":port" or in brackets)
     * @param forwardedFor  the X-Forwarded-For header, or null
     */
    public String of(String peer, String forwardedFor) {
        String client = host(peer);
        if (forwardedFor == null || trusted.isEmpty() || !isTrusted(client)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = host(hops[i].trim());
            if (NetUtil.createByteArrayFromIpAddressString(hop) == null) {
                return client; // garbage in the header: fall back to the last address we know to be real
            }
            client = hop;
            if (!isTrusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean isTrusted(String ip) {
        byte[] b = NetUtil.createByteArrayFromIpAddressString(ip);
        return b != null && trusted.stream().anyMatch(c -> c.contains(b));
    }

    /** "1.2.3.4:5", "[::1]:5", "::1" or "1.2.3.4" to the bare address (no DNS: only literals are accepted anywhere). */
    static String host(String s) {
        if (s == null) {
            return "unknown";
        }
        if (s.startsWith("[")) {
            int end = s.indexOf(']');
            return end > 0 ? s.substring(1, end) : s;
        }
        int colon = s.indexOf(':');
        return colon > 0 && colon == s.lastIndexOf(':') ? s.substring(0, colon) : s;
    }

    /** An address block such as 10.0.0.0/8, fd00::/8 or a single address. */
    record Cidr(byte[] network, int bits) {
        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            byte[] addr = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? s : s.substring(0, slash));
            if (addr == null) {
                throw new IllegalArgumentException("wrc.limits.trusted-proxies: \"" + s + "\" is not an IP address or CIDR");
            }
            int bits = slash < 0 ? addr.length * 8 : Integer.parseInt(s.substring(slash + 1));
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("wrc.limits.trusted-proxies: bad prefix length in \"" + s + "\"");
            }
            return new Cidr(addr, bits);
        }

        boolean contains(byte[] ip) {
            if (ip.length != network.length) {
                return false;
            }
            int full = bits / 8;
            if (!Arrays.equals(ip, 0, full, network, 0, full)) {
                return false;
            }
            int rest = bits % 8;
            return rest == 0 || ((ip[full] ^ network[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }
}
