package io.webrtccluster.sfu.srtp;

import org.jitsi.srtp.SrtpPolicy;

/** The DTLS-SRTP protection profiles (RFC 5764, RFC 7714) we negotiate, with their key sizes. */
public enum SrtpProfile {
    AEAD_AES_128_GCM(0x0007, 16, 12),
    AES_CM_128_HMAC_SHA1_80(0x0001, 16, 14);

    public final int id;
    public final int keyLength;
    public final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }

    SrtpPolicy policy() {
        SrtpPolicy p = switch (this) {
            case AES_CM_128_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        };
        // A retransmission (answer to a NACK) re-sends a sequence number we already protected once;
        // jitsi-srtp's send-side replay check would silently refuse it.
        p.setSendReplayEnabled(false);
        return p;
    }
}
