package io.webrtccluster.sfu.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A STUN message (RFC 5389) as far as ICE-lite needs it: binding requests in, binding success
 * responses out, with short-term credential MESSAGE-INTEGRITY and FINGERPRINT.
 */
public record StunMessage(int type, byte[] transactionId, List<Attribute> attributes, byte[] raw) {
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int MAGIC_COOKIE = 0x2112A442;

    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLING = 0x802A;
    public static final int ICE_CONTROLLED = 0x8029;

    private static final int FINGERPRINT_XOR = 0x5354554e;

    public record Attribute(int type, byte[] value) {
    }

    /** RFC 7983 demultiplexing: a STUN message starts with a byte 0..3 and carries the magic cookie. */
    public static boolean looksLikeStun(byte[] b, int len) {
        return len >= 20 && (b[0] & 0xff) < 4 && ByteBuffer.wrap(b, 4, 4).getInt() == MAGIC_COOKIE;
    }

    public static StunMessage parse(byte[] b, int len) {
        if (!looksLikeStun(b, len)) {
            throw new IllegalArgumentException("not a STUN message");
        }
        ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
        int type = buf.getShort() & 0xffff;
        int bodyLength = buf.getShort() & 0xffff;
        if (bodyLength + 20 != len || bodyLength % 4 != 0) {
            throw new IllegalArgumentException("bad STUN length " + bodyLength + " for datagram of " + len);
        }
        buf.getInt();
        byte[] tid = new byte[12];
        buf.get(tid);
        List<Attribute> attrs = new ArrayList<>();
        while (buf.remaining() >= 4) {
            int at = buf.getShort() & 0xffff;
            int al = buf.getShort() & 0xffff;
            if (al > buf.remaining()) {
                throw new IllegalArgumentException("attribute overruns message");
            }
            byte[] v = new byte[al];
            buf.get(v);
            buf.position(buf.position() + ((4 - al % 4) % 4));
            attrs.add(new Attribute(at, v));
        }
        return new StunMessage(type, tid, List.copyOf(attrs), Arrays.copyOf(b, len));
    }

    public byte[] attribute(int attrType) {
        for (Attribute a : attributes) {
            if (a.type() == attrType) {
                return a.value();
            }
        }
        return null;
    }

    public String username() {
        byte[] u = attribute(USERNAME);
        return u == null ? null : new String(u, StandardCharsets.UTF_8);
    }

    /** Offset of an attribute's header in {@link #raw()}, or -1. */
    private int offsetOf(int attrType) {
        int off = 20;
        while (off + 4 <= raw.length) {
            int at = ((raw[off] & 0xff) << 8) | (raw[off + 1] & 0xff);
            int al = ((raw[off + 2] & 0xff) << 8) | (raw[off + 3] & 0xff);
            if (at == attrType) {
                return off;
            }
            off += 4 + al + ((4 - al % 4) % 4);
        }
        return -1;
    }

    /** Checks MESSAGE-INTEGRITY with the short-term key (the ICE password of the agent that receives the request). */
    public boolean hasValidIntegrity(String password) {
        int mi = offsetOf(MESSAGE_INTEGRITY);
        if (mi < 0) {
            return false;
        }
        byte[] signed = Arrays.copyOf(raw, mi);
        // The length field covers everything up to and including MESSAGE-INTEGRITY.
        int lengthForMac = mi + 24 - 20;
        signed[2] = (byte) (lengthForMac >> 8);
        signed[3] = (byte) lengthForMac;
        byte[] expected = hmacSha1(password, signed);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, mi + 4, mi + 24));
    }

    public boolean hasValidFingerprint() {
        int fp = offsetOf(FINGERPRINT);
        if (fp < 0) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(raw, 0, fp);
        int expected = (int) crc.getValue() ^ FINGERPRINT_XOR;
        return ByteBuffer.wrap(raw, fp + 4, 4).getInt() == expected;
    }

    /** A binding success response carrying the request's source address, signed with {@code password}. */
    public static byte[] bindingSuccess(byte[] transactionId, InetSocketAddress mapped, String password) {
        ByteBuffer buf = ByteBuffer.allocate(20 + 24 + 24 + 8);
        buf.putShort((short) BINDING_SUCCESS);
        buf.putShort((short) 0);
        buf.putInt(MAGIC_COOKIE);
        buf.put(transactionId);
        byte[] ip = mapped.getAddress().getAddress();
        buf.putShort((short) XOR_MAPPED_ADDRESS);
        buf.putShort((short) (4 + ip.length));
        buf.put((byte) 0);
        buf.put((byte) (ip.length == 4 ? 1 : 2));
        buf.putShort((short) (mapped.getPort() ^ (MAGIC_COOKIE >>> 16)));
        byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
        for (int i = 0; i < ip.length; i++) {
            buf.put((byte) (ip[i] ^ mask[i]));
        }
        int beforeMi = buf.position();
        buf.putShort(2, (short) (beforeMi - 20 + 24));
        byte[] mac = hmacSha1(password, Arrays.copyOf(buf.array(), beforeMi));
        buf.putShort((short) MESSAGE_INTEGRITY);
        buf.putShort((short) 20);
        buf.put(mac);
        int beforeFp = buf.position();
        buf.putShort(2, (short) (beforeFp - 20 + 8));
        CRC32 crc = new CRC32();
        crc.update(buf.array(), 0, beforeFp);
        buf.putShort((short) FINGERPRINT);
        buf.putShort((short) 4);
        buf.putInt((int) crc.getValue() ^ FINGERPRINT_XOR);
        return Arrays.copyOf(buf.array(), buf.position());
    }

    /** Decodes XOR-MAPPED-ADDRESS (used by tests that read our own responses). */
    public InetSocketAddress xorMappedAddress() {
        byte[] v = attribute(XOR_MAPPED_ADDRESS);
        if (v == null) {
            return null;
        }
        int port = (((v[2] & 0xff) << 8) | (v[3] & 0xff)) ^ (MAGIC_COOKIE >>> 16);
        byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
        byte[] ip = new byte[v[1] == 1 ? 4 : 16];
        for (int i = 0; i < ip.length; i++) {
            ip[i] = (byte) (v[4 + i] ^ mask[i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmacSha1(String key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
