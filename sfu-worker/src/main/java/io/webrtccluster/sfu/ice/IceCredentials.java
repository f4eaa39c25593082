package io.webrtccluster.sfu.ice;

import java.security.SecureRandom;

/** The worker's ICE username fragment and password for one participant (RFC 8839: 4+ and 22+ ice-chars). */
public record IceCredentials(String ufrag, String pwd) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static IceCredentials random() {
        return new IceCredentials(randomString(16), randomString(24));
    }

    private static String randomString(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return s.toString();
    }
}
