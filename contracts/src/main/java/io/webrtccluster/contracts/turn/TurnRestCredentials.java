package io.webrtccluster.contracts.turn;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and checks TURN REST credentials (draft-uberti-behave-turn-rest), the scheme coturn's
 * {@code use-auth-secret} accepts: coturn recomputes the HMAC from the username and its secret(s), so no
 * per-user state is shared between signaling and the relays.
 */
public final class TurnRestCredentials {

    private TurnRestCredentials() {
    }

    /** A credential for {@code user} valid until {@code now + ttl}. */
    public static TurnCredential mint(String secret, String user, Instant now, Duration ttl) {
        if (user == null || user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("user must be non-empty and must not contain ':'");
        }
        Instant expiresAt = Instant.ofEpochSecond(now.plus(ttl).getEpochSecond());
        String username = expiresAt.getEpochSecond() + ":" + user;
        return new TurnCredential(username, password(secret, username), expiresAt);
    }

    /** base64(HMAC-SHA1(secret, username)). */
    public static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }

    /** What coturn does: accept when not expired and the password matches any of the secrets (current, previous). */
    public static boolean accepts(List<String> secrets, String username, String password, Instant now) {
        int colon = username.indexOf(':');
        long expiry;
        try {
            expiry = Long.parseLong(colon < 0 ? username : username.substring(0, colon));
        } catch (NumberFormatException e) {
            return false;
        }
        if (expiry < now.getEpochSecond()) {
            return false;
        }
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        for (String secret : secrets) {
            if (MessageDigest.isEqual(password(secret, username).getBytes(StandardCharsets.UTF_8), given)) {
                return true;
            }
        }
        return false;
    }
}
