package io.webrtccluster.signaling.unit;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.webrtccluster.signaling.token.JoinToken;
import io.webrtccluster.signaling.token.JoinTokenSigner;
import io.webrtccluster.signaling.token.TokenRejected;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag(Tiers.UNIT)
class JoinTokenSignerTest {
    static final byte[] SECRET = "unit-secret-0123456789-0123456789-0123".getBytes(StandardCharsets.UTF_8);
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    final JoinTokenSigner signer = new JoinTokenSigner(SECRET, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignedTokenVerifiesWithItsClaims() throws Exception {
        String t = signer.sign("standup", "alice", "Alice", Duration.ofMinutes(5), Set.of("publish"));
        JoinToken token = signer.verify(t);
        assertEquals("standup", token.room());
        assertEquals("alice", token.identity());
        assertEquals("Alice", token.name());
        assertEquals(NOW.plus(Duration.ofMinutes(5)), token.expiresAt());
        assertTrue(token.may("publish"));
    }

    @Test
    void anExpiredTokenIsRejectedSayingSo() {
        JoinTokenSigner past = new JoinTokenSigner(SECRET, Duration.ofHours(1), Clock.fixed(NOW.minusSeconds(600), ZoneOffset.UTC));
        String t = past.sign("r", "alice", null, Duration.ofMinutes(5), JoinToken.DEFAULT_PERMISSIONS);
        TokenRejected e = assertThrows(TokenRejected.class, () -> signer.verify(t));
        assertTrue(e.getMessage().contains("expired"));
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRejected() {
        JoinTokenSigner other = new JoinTokenSigner("another-secret-0123456789-0123456789-xx".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        String t = other.sign("r", "alice", null, Duration.ofMinutes(5), JoinToken.DEFAULT_PERMISSIONS);
        assertTrue(assertThrows(TokenRejected.class, () -> signer.verify(t)).getMessage().contains("signature"));
    }

    @Test
    void unsignedAndGarbageTokensAreRejected() {
        // alg "none" with the same claims must not pass.
        String real = signer.sign("r", "alice", null, Duration.ofMinutes(5), JoinToken.DEFAULT_PERMISSIONS);
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes())
                + real.substring(real.indexOf('.'), real.lastIndexOf('.') + 1);
        assertThrows(TokenRejected.class, () -> signer.verify(none));
        assertTrue(assertThrows(TokenRejected.class, () -> signer.verify("not.a.jwt")).getMessage().contains("JWT"));
        assertTrue(assertThrows(TokenRejected.class, () -> signer.verify("")).getMessage().contains("required"));
    }

    @Test
    void lifetimesAreCappedAtTheConfiguredMaximum() throws Exception {
        String t = signer.sign("r", "alice", null, Duration.ofDays(30), JoinToken.DEFAULT_PERMISSIONS);
        assertEquals(NOW.plus(Duration.ofHours(1)), signer.verify(t).expiresAt());
    }

    @Test
    void shortSecretsAreRefusedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new JoinTokenSigner("short".getBytes(), Duration.ofHours(1), Clock.systemUTC()));
    }
}
