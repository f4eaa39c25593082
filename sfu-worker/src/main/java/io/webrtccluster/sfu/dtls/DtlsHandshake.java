package io.webrtccluster.sfu.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.webrtccluster.sfu.srtp.SrtpProfile;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One participant's DTLS server handshake. BouncyCastle's protocol is blocking, so it runs on its
 * own thread and reads datagrams that the UDP demultiplexer queues here; after the handshake the
 * same thread keeps reading, which answers retransmitted client flights and notices close_notify.
 */
public final class DtlsHandshake implements DatagramTransport {
    public static final int MTU = 1200;
    private static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    private static final DtlsCertificate CERTIFICATE = DtlsCertificate.generate(CRYPTO);

    /** What the handshake yields: the negotiated profile and RFC 5764 keying material. */
    public record Keys(SrtpProfile profile, byte[] keyingMaterial) {
    }

    private static volatile java.util.List<SrtpProfile> profiles = java.util.List.of(SrtpProfile.values());

    /** SRTP protection profiles in order of preference (the first the browser also offers wins). */
    public static void setProfiles(java.util.List<SrtpProfile> preference) {
        profiles = java.util.List.copyOf(preference);
    }

    static java.util.List<SrtpProfile> profiles() {
        return profiles;
    }

    private final BlockingQueue<byte[]> inbound = new ArrayBlockingQueue<>(64);
    private final Consumer<byte[]> sender;
    private volatile boolean closed;
    private Thread thread;

    public DtlsHandshake(Consumer<byte[]> sender) {
        this.sender = sender;
    }

    /** The certificate fingerprint every offer carries. */
    public static String localFingerprint() {
        return CERTIFICATE.fingerprint();
    }

    public void start(String name, java.util.function.Supplier<String> remoteFingerprint, Consumer<Keys> onKeys, Consumer<Throwable> onFailure) {
        org.jboss.logging.Logger.getLogger(DtlsHandshake.class).debugf("DTLS handshake %s starting", name);
        thread = new Thread(() -> {
            DtlsServer server = new DtlsServer(CRYPTO, CERTIFICATE, remoteFingerprint);
            DTLSServerProtocol protocol = new DTLSServerProtocol();
            protocol.setVerifyRequests(false); // ICE already proved the address; skip the cookie round trip
            try {
                DTLSTransport transport = protocol.accept(server, this);
                onKeys.accept(new Keys(server.profile(), server.keyingMaterial()));
                byte[] buf = new byte[2048];
                while (!closed) {
                    if (transport.receive(buf, 0, buf.length, 1000) < 0 && closed) {
                        break;
                    }
                }
            } catch (Throwable e) {
                org.jboss.logging.Logger.getLogger(DtlsHandshake.class).debugf(e, "DTLS thread %s ended", name);
                if (!closed) {
                    onFailure.accept(e);
                }
            }
        }, "dtls-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Hands a DTLS record from the socket to the handshake thread (drops when it falls behind). */
    public void offer(byte[] datagram) {
        inbound.offer(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return 2048;
    }

    @Override
    public int getSendLimit() {
        return MTU;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        try {
            byte[] d = inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
            if (d == null) {
                return -1;
            }
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        byte[] d = new byte[len];
        System.arraycopy(buf, off, d, 0, len);
        sender.accept(d);
    }

    @Override
    public void close() {
        closed = true;
    }
}
