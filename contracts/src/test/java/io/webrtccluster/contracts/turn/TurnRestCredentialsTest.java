package io.webrtccluster.contracts.turn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class TurnRestCredentialsTest {

    // Vectors computed independently:
    //   printf %s "1700000000:alice" | openssl dgst -sha1 -hmac north-wind -binary | base64
    //   printf %s "1700003600:bob" | openssl dgst -sha1 -hmac previous-secret -binary | base64
    private static final String ALICE_PASSWORD = "Oko4dt8u/EbTRjRUJWQDFm/zTCc=";
    private static final String BOB_PASSWORD = "Xw2hyXOFJnCvPmGaSl1C0Z4sLwI=";

    @Test
    void mintedCredentialMatchesOpensslVector() {
        TurnCredential c = TurnRestCredentials.mint("north-wind", "alice",
                Instant.ofEpochSecond(1_699_996_400L), Duration.ofHours(1));
        assertEquals("1700000000:alice", c.username());
        assertEquals(ALICE_PASSWORD, c.password());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), c.expiresAt());
    }

    @Test
    void previousSecretIsAcceptedDuringRotationAndExpiryIsEnforced() {
        List<String> secrets = List.of("north-wind", "previous-secret");
        Instant before = Instant.ofEpochSecond(1_700_000_000L);
        assertTrue(TurnRestCredentials.accepts(secrets, "1700003600:bob", BOB_PASSWORD, before));
        assertFalse(TurnRestCredentials.accepts(List.of("north-wind"), "1700003600:bob", BOB_PASSWORD, before));
        assertFalse(TurnRestCredentials.accepts(secrets, "1700003600:bob", BOB_PASSWORD, Instant.ofEpochSecond(1_700_003_601L)));
        assertFalse(TurnRestCredentials.accepts(secrets, "1700003600:bob", ALICE_PASSWORD, before));
    }

    @Test
    void userWithColonIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> TurnRestCredentials.mint("s", "a:b", Instant.EPOCH, Duration.ofMinutes(1)));
    }

    @Test
    void urlsFollowRfc7065() {
        assertEquals(List.of("turn:turn.example:3478?transport=udp", "turn:turn.example:3478?transport=tcp"),
                TurnUrls.of("turn.example", 3478, false, 5349));
        assertEquals("turns:[2001:db8::1]:5349?transport=tcp", TurnUrls.of("2001:db8::1", 3478, true, 5349).get(2));
    }
}
