package io.webrtccluster.signaling.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A WebSocket client that writes frames byte for byte (RFC 6455): one frame of exactly the size a test
 * names, invalid UTF-8, binary frames, optionally permessage-deflate. Browser-like clients split or
 * validate what they send, so they cannot show what the server does with such frames.
 */
final class RawSocket implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final boolean deflate;
    private final Inflater inflater = new Inflater(true);
    /** Status of the server's close frame, 1006 if the connection ended without one, 0 while open. */
    int closeCode;

    /** A received message: a text payload, or a close. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return SignalClient.JSON.readTree(payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private RawSocket(Socket socket, boolean deflate) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.deflate = deflate;
    }

    static RawSocket connect(String wsUrl, boolean deflate) {
        return connect(wsUrl, deflate, null);
    }

    /** @param from local address to connect from (e.g. 127.0.0.2: another client), or null */
    static RawSocket connect(String wsUrl, boolean deflate, String from) {
        URI uri = URI.create(wsUrl);
        try {
            Socket s = new Socket();
            if (from != null) {
                s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            }
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            s.setSoTimeout(15_000);
            String key = Base64.getEncoder().encodeToString(new byte[16]);
            String req = "GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
                    + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n" : "") + "\r\n";
            s.getOutputStream().write(req.getBytes(StandardCharsets.US_ASCII));
            RawSocket r = new RawSocket(s, deflate);
            String head = r.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                s.close();
                throw new IllegalStateException("upgrade refused: " + head);
            }
            if (deflate && !head.toLowerCase().contains("permessage-deflate")) {
                throw new IllegalStateException("server did not agree to permessage-deflate: " + head);
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                break;
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    void sendText(String text) {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One final frame with this opcode and payload (compressed when permessage-deflate was agreed, for data frames). */
    void send(int opcode, byte[] payload) {
        boolean compress = deflate && opcode < 8;
        byte[] data = compress ? compress(payload) : payload;
        try {
            ByteArrayOutputStream f = new ByteArrayOutputStream(data.length + 14);
            f.write(0x80 | (compress ? 0x40 : 0) | opcode);
            if (data.length < 126) {
                f.write(0x80 | data.length);
            } else if (data.length < 65536) {
                f.write(0x80 | 126);
                f.write(data.length >>> 8);
                f.write(data.length);
            } else {
                f.write(0x80 | 127);
                for (int i = 7; i >= 0; i--) {
                    f.write((int) ((long) data.length >>> (8 * i)));
                }
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            f.write(mask);
            for (int i = 0; i < data.length; i++) {
                f.write(data[i] ^ mask[i & 3]);
            }
            out.write(f.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] compress(byte[] payload) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(payload);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            b.write(buf, 0, n);
        } while (n == buf.length || !d.needsInput());
        d.end();
        byte[] a = b.toByteArray();
        return java.util.Arrays.copyOf(a, a.length - 4); // RFC 7692: drop the 00 00 ff ff tail
    }

    /** The next text, binary or close message (pings answered, fragments joined); null when the connection ended without a close frame. */
    Frame next() {
        try {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            int messageOpcode = -1;
            boolean compressed = false;
            while (true) {
                int b0;
                try {
                    b0 = in.read();
                } catch (java.net.SocketException e) {
                    b0 = -1;
                }
                if (b0 < 0) {
                    closeCode = closeCode == 0 ? 1006 : closeCode;
                    return null;
                }
                int b1 = in.readUnsignedByte();
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = in.readUnsignedShort();
                } else if (len == 127) {
                    len = in.readLong();
                }
                byte[] payload = new byte[(int) len];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == CLOSE) {
                    closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    return new Frame(CLOSE, payload);
                }
                if (opcode == PING || opcode == 10) {
                    continue;
                }
                if (opcode != 0) {
                    messageOpcode = opcode;
                    compressed = (b0 & 0x40) != 0;
                }
                message.write(payload);
                if ((b0 & 0x80) != 0) {
                    byte[] m = message.toByteArray();
                    return new Frame(messageOpcode, compressed ? inflate(m) : m);
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("nothing received within 15 s");
        } catch (IOException e) {
            closeCode = closeCode == 0 ? 1006 : closeCode;
            return null;
        }
    }

    private byte[] inflate(byte[] data) {
        inflater.setInput(concat(data, new byte[] {0, 0, (byte) 0xff, (byte) 0xff}));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = inflater.inflate(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The next JSON message of {@code type} (others skipped); fails if the connection closes first. */
    JsonNode next(String type) {
        while (true) {
            Frame f = next();
            if (f == null || f.opcode() == CLOSE) {
                throw new AssertionError("closed (" + closeCode + ") while waiting for \"" + type + "\"");
            }
            JsonNode n = f.json();
            if (type.equals(n.path("type").asText())) {
                return n;
            }
        }
    }

    /** The next error; asserts its code. */
    JsonNode error(String code) {
        JsonNode e = next("error");
        if (!code.equals(e.path("code").asText())) {
            throw new AssertionError("expected error " + code + " but got " + e);
        }
        return e;
    }

    /** Reads until the server closes; the close code (1006: no close frame). */
    int awaitClose() {
        while (true) {
            Frame f = next();
            if (f == null || f.opcode() == CLOSE) {
                return closeCode;
            }
        }
    }

    void assertAlive() {
        sendText("{\"type\":\"ping\"}");
        next("pong");
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
