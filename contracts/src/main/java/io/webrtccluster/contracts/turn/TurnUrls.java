package io.webrtccluster.contracts.turn;

import java.util.ArrayList;
import java.util.List;

/** The ICE server URLs (RFC 7065) clients use to reach a TURN server: what TurnPool status lists and signaling hands out. */
public final class TurnUrls {

    private TurnUrls() {
    }

    /** {@code turn:host:port?transport=udp}, the TCP variant, and {@code turns:} when TLS is on. */
    public static List<String> of(String host, int port, boolean tls, int tlsPort) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        List<String> urls = new ArrayList<>();
        urls.add("turn:" + h + ":" + port + "?transport=udp");
        urls.add("turn:" + h + ":" + port + "?transport=tcp");
        if (tls) {
            urls.add("turns:" + h + ":" + tlsPort + "?transport=tcp");
        }
        return List.copyOf(urls);
    }

    /** {@code stun:host:port}: every TURN server also answers STUN binding requests. */
    public static String stun(String host, int port) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return "stun:" + h + ":" + port;
    }
}
