package io.webrtccluster.sfu.ice;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.webrtccluster.sfu.rtp.RtpPacket;
import io.webrtccluster.sfu.stun.StunMessage;
import org.jboss.logging.Logger;

/**
 * The one UDP socket all participants share. Demultiplexes (RFC 7983) STUN by the ICE username
 * fragment, and everything else by the remote address that ICE validated; anything else is dropped.
 */
public final class UdpEndpoint implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(UdpEndpoint.class);

    /** What the endpoint hands datagrams to: one participant's transport. */
    public interface Peer {
        String icePassword();

        /** A valid binding request from {@code from}; {@code nominated} when it carries USE-CANDIDATE. */
        void onConsent(InetSocketAddress from, boolean nominated);

        void onDtls(byte[] datagram);

        /** @param receivedNanos {@link System#nanoTime()} when the datagram left the receive call */
        void onSrtp(byte[] buf, int length, boolean rtcp, long receivedNanos);
    }

    /** Counts of what the endpoint refused, for the metrics. */
    public interface DropCounter {
        void dropped(String reason);
    }

    private final DatagramChannel channel;
    private final Map<String, Peer> byUfrag = new ConcurrentHashMap<>();
    private final Map<SocketAddress, Peer> byAddress = new ConcurrentHashMap<>();
    private final DropCounter drops;
    private final Thread receiver;
    private volatile boolean closed;

    public UdpEndpoint(InetSocketAddress bind, DropCounter drops) throws IOException {
        this.channel = DatagramChannel.open();
        channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
        channel.bind(bind);
        this.drops = drops;
        this.receiver = new Thread(this::receiveLoop, "sfu-udp-receive");
        receiver.setDaemon(true);
    }

    public void start() {
        receiver.start();
    }

    public int localPort() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void register(String ufrag, Peer peer) {
        byUfrag.put(ufrag, peer);
    }

    public void unregister(String ufrag, Peer peer) {
        byUfrag.remove(ufrag, peer);
        byAddress.values().removeIf(p -> p == peer);
    }

    public void send(byte[] datagram, SocketAddress to) {
        send(datagram, 0, datagram.length, to);
    }

    public void send(byte[] datagram, int offset, int length, SocketAddress to) {
        if (to == null) {
            return;
        }
        try {
            channel.send(ByteBuffer.wrap(datagram, offset, length), to);
        } catch (IOException e) {
            if (!closed) {
                LOG.debugf("send to %s failed: %s", to, e);
            }
        }
    }

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (!closed) {
            try {
                buf.clear();
                SocketAddress from = channel.receive(buf);
                if (from == null) {
                    continue;
                }
                long receivedNanos = System.nanoTime();
                int len = buf.position();
                byte[] data = Arrays.copyOf(buf.array(), len);
                handle(data, len, (InetSocketAddress) from, receivedNanos);
            } catch (ClosedChannelException e) {
                return;
            } catch (Throwable e) {
                // A malformed datagram must never stop the loop every participant depends on.
                drops.dropped("error");
                LOG.warnf(e, "datagram handling failed");
            }
        }
    }

    void handle(byte[] data, int len, InetSocketAddress from, long receivedNanos) {
        if (len == 0) {
            drops.dropped("empty");
            return;
        }
        int first = data[0] & 0xff;
        if (first < 4) {
            handleStun(data, len, from);
            return;
        }
        Peer peer = byAddress.get(from);
        if (peer == null) {
            drops.dropped("unknown-address");
            return;
        }
        if (first >= 20 && first <= 63) {
            peer.onDtls(data);
        } else if (first >= 128 && first <= 191 && RtpPacket.looksLikeRtpOrRtcp(data, len)) {
            peer.onSrtp(data, len, RtpPacket.isRtcp(data, len), receivedNanos);
        } else {
            drops.dropped("unknown-protocol");
        }
    }

    private void handleStun(byte[] data, int len, InetSocketAddress from) {
        if (!StunMessage.looksLikeStun(data, len)) {
            drops.dropped("stun-malformed");
            return;
        }
        StunMessage m;
        try {
            m = StunMessage.parse(data, len);
        } catch (IllegalArgumentException e) {
            drops.dropped("stun-malformed");
            return;
        }
        if (m.type() != StunMessage.BINDING_REQUEST) {
            drops.dropped("stun-not-binding-request");
            return;
        }
        String username = m.username();
        int colon = username == null ? -1 : username.indexOf(':');
        Peer peer = colon < 0 ? null : byUfrag.get(username.substring(0, colon));
        if (peer == null) {
            drops.dropped("stun-unknown-ufrag");
            return;
        }
        if (!m.hasValidFingerprint() || !m.hasValidIntegrity(peer.icePassword())) {
            drops.dropped("stun-bad-integrity");
            return;
        }
        if (Capture.enabled()) {
            Capture.record("stun-binding-request", peer.icePassword(), data, len);
        }
        byAddress.put(from, peer);
        send(StunMessage.bindingSuccess(m.transactionId(), from, peer.icePassword()), from);
        peer.onConsent(from, m.attribute(StunMessage.USE_CANDIDATE) != null);
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("close failed", e);
        }
    }
}
