package io.webrtccluster.sfu.srtp;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * One direction of SRTP/SRTCP for a transport (jitsi-srtp does the cryptography, replay windows and
 * rollover counters; we keep one crypto context per SSRC as RFC 3711 requires). Not thread-safe:
 * the owner serialises calls.
 */
public final class SrtpSession {
    private final SrtpContextFactory factory;
    private final SrtpProfile profile;
    private final Map<Long, SrtpCryptoContext> rtp = new HashMap<>();
    private final Map<Long, SrtcpCryptoContext> rtcp = new HashMap<>();
    // the context of the SSRC last protected: a mixed stream or a fan-out sends runs of one SSRC, and the
    // map lookup (a boxed key per packet) was an eighth of an MCU listener's CPU in a profile
    private long lastSsrc = -1;
    private SrtpCryptoContext lastContext;

    public SrtpSession(SrtpProfile profile, boolean sender, byte[] masterKey, byte[] masterSalt) {
        this.profile = profile;
        this.factory = new SrtpContextFactory(sender, masterKey, masterSalt, profile.policy(), profile.policy(),
                new LoggerImpl(SrtpSession.class.getName()));
    }

    public String profileName() {
        return profile.name();
    }

    /**
     * Picks jitsi-srtp's AES back-end and derives contexts for both profiles once, so nothing slow
     * happens on the first packet. {@code factoryClassName} null/"benchmark" lets jitsi-srtp time its
     * back-ends (seconds on a busy machine); a class name (e.g. SunJCE's) skips that.
     */
    public static void warmUp(String factoryClassName) {
        if (factoryClassName != null && !factoryClassName.isBlank() && !"benchmark".equals(factoryClassName)) {
            org.jitsi.srtp.crypto.Aes.setFactoryClassName(factoryClassName);
        }
        for (SrtpProfile p : SrtpProfile.values()) {
            SrtpSession s = new SrtpSession(p, true, new byte[p.keyLength], new byte[p.saltLength]);
            byte[] rtp = new byte[112];
            rtp[0] = (byte) 0x80;
            s.protectRtp(rtp);
            byte[] rtcp = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1};
            s.protectRtcp(rtcp);
        }
    }

    /** Builds the two directions from DTLS-SRTP keying material (RFC 5764 4.2: client key, server key, client salt, server salt). */
    public static SrtpSession[] fromKeyingMaterial(SrtpProfile p, byte[] km, boolean weAreServer) {
        int k = p.keyLength;
        int s = p.saltLength;
        byte[] clientKey = Arrays.copyOfRange(km, 0, k);
        byte[] serverKey = Arrays.copyOfRange(km, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(km, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(km, 2 * k + s, 2 * k + 2 * s);
        SrtpSession decrypt = new SrtpSession(p, false, weAreServer ? clientKey : serverKey, weAreServer ? clientSalt : serverSalt);
        SrtpSession encrypt = new SrtpSession(p, true, weAreServer ? serverKey : clientKey, weAreServer ? serverSalt : clientSalt);
        return new SrtpSession[]{decrypt, encrypt};
    }

    /** Decrypts an SRTP packet; returns the plaintext length, or -1 when it fails authentication or replay checks. */
    public int unprotectRtp(Buffer buf) {
        long ssrc = u32(buf.getBuffer(), buf.getOffset() + 8);
        try {
            SrtpCryptoContext ctx = rtp.computeIfAbsent(ssrc, s -> derive(s));
            return ctx.reverseTransformPacket(buf, false) == SrtpErrorStatus.OK ? buf.getLength() : -1;
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    public int unprotectRtcp(Buffer buf) {
        long ssrc = u32(buf.getBuffer(), buf.getOffset() + 4);
        try {
            SrtcpCryptoContext ctx = rtcp.computeIfAbsent(ssrc, s -> deriveControl(s));
            return ctx.reverseTransformPacket(buf) == SrtpErrorStatus.OK ? buf.getLength() : -1;
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    public byte[] protectRtp(byte[] plain) {
        Buffer buf = Buffer.forProtect(plain);
        return protectRtp(buf) ? buf.toByteArray() : null;
    }

    /** Encrypts the RTP packet in {@code buf} in place (it needs room for the tag after its length); false if it could not. */
    public boolean protectRtp(Buffer buf) {
        long ssrc = u32(buf.getBuffer(), buf.getOffset() + 8);
        try {
            SrtpCryptoContext ctx = lastSsrc == ssrc ? lastContext : null;
            if (ctx == null) {
                ctx = rtp.computeIfAbsent(ssrc, s -> derive(s));
                lastSsrc = ssrc;
                lastContext = ctx;
            }
            return ctx.transformPacket(buf) == SrtpErrorStatus.OK;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public byte[] protectRtcp(byte[] plain) {
        Buffer buf = Buffer.forProtect(plain);
        long ssrc = u32(plain, 4);
        try {
            if (rtcp.computeIfAbsent(ssrc, s -> deriveControl(s)).transformPacket(buf) != SrtpErrorStatus.OK) {
                return null;
            }
        } catch (GeneralSecurityException e) {
            return null;
        }
        return buf.toByteArray();
    }

    private SrtpCryptoContext derive(long ssrc) {
        try {
            return factory.deriveContext((int) ssrc, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private SrtcpCryptoContext deriveControl(long ssrc) {
        try {
            return factory.deriveControlContext((int) ssrc);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long u32(byte[] b, int o) {
        return ((long) (b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
    }

    /** The growable byte region jitsi-srtp transforms in place. */
    public static final class Buffer implements org.jitsi.utils.ByteArrayBuffer {
        private byte[] buffer;
        private int offset;
        private int length;

        public Buffer(byte[] buffer, int offset, int length) {
            this.buffer = buffer;
            this.offset = offset;
            this.length = length;
        }

        static Buffer forProtect(byte[] plain) {
            byte[] b = Arrays.copyOf(plain, plain.length + 32);
            return new Buffer(b, 0, plain.length);
        }

        /** Reuses this buffer for {@code length} bytes at the start of {@code bytes}. */
        public void reset(byte[] bytes, int length) {
            this.buffer = bytes;
            this.offset = 0;
            this.length = length;
        }

        public byte[] toByteArray() {
            return Arrays.copyOfRange(buffer, offset, offset + length);
        }

        @Override
        public byte[] getBuffer() {
            return buffer;
        }

        @Override
        public int getOffset() {
            return offset;
        }

        @Override
        public int getLength() {
            return length;
        }

        @Override
        public void setLength(int len) {
            this.length = len;
        }

        @Override
        public void setOffset(int off) {
            this.offset = off;
        }

        @Override
        public boolean isInvalid() {
            return false;
        }

        @Override
        public void readRegionToBuff(int off, int len, byte[] outBuf) {
            System.arraycopy(buffer, offset + off, outBuf, 0, len);
        }

        @Override
        public void grow(int howMuch) {
            if (offset + length + howMuch > buffer.length) {
                buffer = Arrays.copyOf(buffer, offset + length + howMuch);
            }
        }

        @Override
        public void append(byte[] data, int len) {
            grow(len);
            System.arraycopy(data, 0, buffer, offset + length, len);
            length += len;
        }

        @Override
        public void shrink(int len) {
            length = Math.max(0, length - len);
        }
    }
}
