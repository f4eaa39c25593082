package io.webrtccluster.natlab;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A UDP echo round-trip probe for the relay-overhead bench, run inside a lab namespace as its own JVM
 * ({@code ip netns exec NS java -cp target/test-classes ...RelayProbe}). It times the same echo peer twice: directly,
 * and through a TURN allocation (Allocate with REST credentials, ChannelBind, ChannelData), microsecond timestamps.
 * <p>
 * Arguments: {@code direct|relay turnServer turnPort username password peerIp peerPort count intervalMs size [streams]}.
 * Prints one line: {@code mode=... samples=... lost=... p50us=... p90us=... p99us=... seconds=...} (seconds of traffic).
 */
public final class RelayProbe {
    private static final int COOKIE = 0x2112A442;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RelayProbe() {
    }

    public static void main(String[] a) throws Exception {
        String mode = a[0];
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(a[1]), Integer.parseInt(a[2]));
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(a[5]), Integer.parseInt(a[6]));
        int count = Integer.parseInt(a[7]);
        long intervalNanos = Long.parseLong(a[8]) * 1_000_000L;
        int size = Integer.parseInt(a[9]);
        int streams = a.length > 10 ? Integer.parseInt(a[10]) : 1;
        if (mode.equals("both")) {
            interleaved(server, a[3], a[4], peer, count, intervalNanos, size);
            return;
        }
        // Every stream gets its own socket and allocation; all are set up before any traffic, so the traffic window is clean.
        DatagramSocket[] sockets = new DatagramSocket[streams];
        for (int s = 0; s < streams; s++) {
            sockets[s] = new DatagramSocket();
            sockets[s].setSoTimeout(1000);
            if (mode.equals("relay")) {
                Turn turn = new Turn(sockets[s], server, a[3], a[4]);
                turn.allocate();
                turn.channelBind(CHANNEL, peer);
            }
        }
        long[][] results = new long[streams][];
        int[] lost = new int[streams];
        Thread[] threads = new Thread[streams];
        long t0 = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            int i = s;
            threads[s] = new Thread(() -> results[i] = stream(sockets[i], mode.equals("relay"), server, peer, count, intervalNanos, size, lost, i));
            threads[s].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double trafficSeconds = (System.nanoTime() - t0) / 1e9;
        long[] all = Arrays.stream(results).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("mode=%s samples=%d lost=%d p50us=%d p90us=%d p99us=%d seconds=%.3f%n", mode, all.length,
                Arrays.stream(lost).sum(), pct(all, 50), pct(all, 90), pct(all, 99), trafficSeconds);
        for (DatagramSocket socket : sockets) {
            socket.close();
        }
    }

    private static final int CHANNEL = 0x4000;

    /** Direct and relayed echoes alternate packet by packet, so both see the same machine load. */
    private static void interleaved(InetSocketAddress server, String user, String pass, InetSocketAddress peer, int count,
                                    long intervalNanos, int size) throws Exception {
        try (DatagramSocket direct = new DatagramSocket(); DatagramSocket relayed = new DatagramSocket()) {
            direct.setSoTimeout(1000);
            relayed.setSoTimeout(1000);
            Turn turn = new Turn(relayed, server, user, pass);
            turn.allocate();
            turn.channelBind(CHANNEL, peer);
            long[] d = new long[count];
            long[] r = new long[count];
            int nd = 0;
            int nr = 0;
            int[] lost = new int[2];
            for (int i = 0; i < count; i++) {
                // Alternate which goes first: the first echo after the pause also pays for waking the peer up.
                long[] one;
                long[] two;
                if (i % 2 == 0) {
                    one = stream(direct, false, server, peer, 1, 0, size, lost, 0);
                    two = stream(relayed, true, server, peer, 1, 0, size, lost, 1);
                } else {
                    two = stream(relayed, true, server, peer, 1, 0, size, lost, 1);
                    one = stream(direct, false, server, peer, 1, 0, size, lost, 0);
                }
                if (i >= count / 10) {
                    for (long x : one) {
                        d[nd++] = x;
                    }
                    for (long x : two) {
                        r[nr++] = x;
                    }
                }
                LockSupport.parkNanos(intervalNanos);
            }
            long[] ds = Arrays.copyOf(d, nd);
            long[] rs = Arrays.copyOf(r, nr);
            Arrays.sort(ds);
            Arrays.sort(rs);
            System.out.printf("mode=direct samples=%d lost=%d p50us=%d p90us=%d p99us=%d seconds=0%n", nd, lost[0], pct(ds, 50), pct(ds, 90), pct(ds, 99));
            System.out.printf("mode=relay samples=%d lost=%d p50us=%d p90us=%d p99us=%d seconds=0%n", nr, lost[1], pct(rs, 50), pct(rs, 90), pct(rs, 99));
        }
    }

    /** Stop-and-wait echoes at a fixed pace; returns round trips in microseconds, the first tenth (warm-up) left out. */
    private static long[] stream(DatagramSocket socket, boolean relay, InetSocketAddress server, InetSocketAddress peer,
                                 int count, long intervalNanos, int size, int[] lost, int index) {
        long[] rtts = new long[count];
        int got = 0;
        byte[] payload = new byte[size];
        byte[] buf = new byte[2048];
        long next = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                ByteBuffer.wrap(payload).putInt(0, i);
                byte[] out = relay ? channelData(CHANNEL, payload) : payload;
                long t0 = System.nanoTime();
                socket.send(new DatagramPacket(out, out.length, relay ? server : peer));
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    while (true) {
                        socket.receive(in);
                        int off = relay ? 4 : 0;
                        if (in.getLength() >= off + 4 && ByteBuffer.wrap(buf, off, 4).getInt() == i) {
                            break;
                        }
                    }
                    rtts[got++] = (System.nanoTime() - t0) / 1000;
                } catch (SocketTimeoutException e) {
                    lost[index]++;
                }
                next += intervalNanos;
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Arrays.copyOfRange(rtts, Math.min(got, count / 10), got);
    }

    private static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static byte[] channelData(int channel, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length);
        b.putShort((short) channel).putShort((short) payload.length).put(payload);
        return b.array();
    }

    /** Just enough TURN (RFC 8656) for one allocation and one channel, with long-term credentials. */
    private static final class Turn {
        private final DatagramSocket socket;
        private final InetSocketAddress server;
        private final String username;
        private final String password;
        private String realm;
        private String nonce;

        Turn(DatagramSocket socket, InetSocketAddress server, String username, String password) {
            this.socket = socket;
            this.server = server;
            this.username = username;
            this.password = password;
        }

        void allocate() throws Exception {
            byte[] transport = {17, 0, 0, 0};
            byte[] r = request(0x0003, attr(0x0019, transport), false);
            if (type(r) == 0x0113 && errorCode(r) == 401) {
                realm = new String(find(r, 0x0014), StandardCharsets.UTF_8);
                nonce = new String(find(r, 0x0015), StandardCharsets.UTF_8);
                r = request(0x0003, attr(0x0019, transport), true);
            }
            if (type(r) != 0x0103) {
                throw new IllegalStateException("allocate failed: error " + errorCode(r));
            }
        }

        void channelBind(int channel, InetSocketAddress peer) throws Exception {
            byte[] ch = ByteBuffer.allocate(4).putShort((short) channel).putShort((short) 0).array();
            byte[] attrs = concat(attr(0x000C, ch), attr(0x0012, xorAddress(peer)));
            byte[] r = request(0x0009, attrs, true);
            if (type(r) != 0x0109) {
                throw new IllegalStateException("channel bind failed: error " + errorCode(r));
            }
        }

        private byte[] request(int type, byte[] attrs, boolean auth) throws Exception {
            byte[] tid = new byte[12];
            RANDOM.nextBytes(tid);
            byte[] body = attrs;
            if (auth) {
                body = concat(body, attr(0x0006, username.getBytes(StandardCharsets.UTF_8)),
                        attr(0x0014, realm.getBytes(StandardCharsets.UTF_8)), attr(0x0015, nonce.getBytes(StandardCharsets.UTF_8)));
                // MESSAGE-INTEGRITY covers the header with a length that already counts the 24-byte attribute.
                byte[] head = header(type, body.length + 24, tid);
                byte[] key = MessageDigest.getInstance("MD5")
                        .digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
                Mac mac = Mac.getInstance("HmacSHA1");
                mac.init(new SecretKeySpec(key, "HmacSHA1"));
                byte[] mi = mac.doFinal(concat(head, body));
                body = concat(body, attr(0x0008, mi));
            }
            byte[] msg = concat(header(type, body.length, tid), body);
            byte[] buf = new byte[2048];
            for (int attempt = 0; attempt < 5; attempt++) {
                socket.send(new DatagramPacket(msg, msg.length, server));
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(in);
                    byte[] r = Arrays.copyOf(buf, in.getLength());
                    if (Arrays.equals(Arrays.copyOfRange(r, 8, 20), tid)) {
                        return r;
                    }
                } catch (SocketTimeoutException e) {
                    // retransmit
                }
            }
            throw new IllegalStateException("no answer from " + server);
        }
    }

    private static byte[] header(int type, int length, byte[] tid) {
        return ByteBuffer.allocate(20).putShort((short) type).putShort((short) length).putInt(COOKIE).put(tid).array();
    }

    private static byte[] attr(int type, byte[] value) {
        int padded = (value.length + 3) & ~3;
        return ByteBuffer.allocate(4 + padded).putShort((short) type).putShort((short) value.length).put(value).array();
    }

    private static byte[] xorAddress(InetSocketAddress a) {
        byte[] ip = a.getAddress().getAddress();
        byte[] c = ByteBuffer.allocate(4).putInt(COOKIE).array();
        ByteBuffer b = ByteBuffer.allocate(8).put((byte) 0).put((byte) 1).putShort((short) (a.getPort() ^ (COOKIE >>> 16)));
        for (int i = 0; i < 4; i++) {
            b.put((byte) (ip[i] ^ c[i]));
        }
        return b.array();
    }

    private static int type(byte[] m) {
        return ByteBuffer.wrap(m).getShort(0) & 0xffff;
    }

    private static byte[] find(byte[] m, int wanted) {
        int pos = 20;
        while (pos + 4 <= m.length) {
            int t = ByteBuffer.wrap(m).getShort(pos) & 0xffff;
            int len = ByteBuffer.wrap(m).getShort(pos + 2) & 0xffff;
            if (t == wanted) {
                return Arrays.copyOfRange(m, pos + 4, pos + 4 + len);
            }
            pos += 4 + ((len + 3) & ~3);
        }
        return new byte[0];
    }

    private static int errorCode(byte[] m) {
        byte[] e = find(m, 0x0009);
        return e.length < 4 ? 0 : (e[2] & 0x7) * 100 + (e[3] & 0xff);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
