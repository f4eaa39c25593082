package io.webrtccluster.signaling.unit;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.webrtccluster.signaling.token.Claims;
import io.webrtccluster.signaling.token.JoinToken;
import io.webrtccluster.testing.Tiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one set of rules for what a join token may claim (minting and join both use it). */
@Tag(Tiers.UNIT)
class ClaimsTest {

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("*", "alice", null, null, "room"),
                Arguments.of("", "alice", null, null, "room"),
                Arguments.of(null, "alice", null, null, "room"),
                Arguments.of("lobby\n", "alice", null, null, "room"),
                Arguments.of("{x}:members", "alice", null, null, "room"),
                Arguments.of("-lobby", "alice", null, null, "room"),
                Arguments.of("r".repeat(65), "alice", null, null, "room"),
                Arguments.of("lobby", "sfu", null, null, "reserved"),
                Arguments.of("lobby", "Sfu", null, null, "reserved"),
                Arguments.of("lobby", "server", null, null, "reserved"),
                Arguments.of("lobby", "MIXER", null, null, "reserved"),
                Arguments.of("lobby", "ali\nce", null, null, "identity"),
                Arguments.of("lobby", "", null, null, "identity"),
                Arguments.of("lobby", null, null, null, "identity"),
                Arguments.of("lobby", "alice bob", null, null, "identity"),
                Arguments.of("lobby", "alice", "n".repeat(65), null, "name: at most 64"),
                Arguments.of("lobby", "alice", "n".repeat(100_000), null, "name: at most 64"),
                Arguments.of("lobby", "alice", "two\nlines", null, "name"),
                Arguments.of("lobby", "alice", "nul\u0000", null, "name"),
                Arguments.of("lobby", "alice", "para\u2029graph", null, "name"),
                Arguments.of("lobby", "alice", "broken \uD83D", null, "name"),
                Arguments.of("lobby", "alice", null, List.of("admin"), "permissions"),
                Arguments.of("lobby", "alice", null, java.util.Arrays.asList("publish", null), "permissions"));
    }

    @ParameterizedTest(name = "room={0} identity={1} name={2} perms={3}")
    @MethodSource("invalid")
    void invalidClaimsAreRefusedNamingTheClaim(String room, String identity, String name, List<String> perms, String complaint) {
        Claims.Invalid e = assertThrows(Claims.Invalid.class, () -> Claims.of(room, identity, name, perms));
        assertTrue(e.getMessage().contains(complaint), e.getMessage());
    }

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("lobby", "alice", "Alice", List.of("publish"), "Alice", Set.of("publish")),
                Arguments.of("a", "b", null, null, "b", JoinToken.DEFAULT_PERMISSIONS),
                Arguments.of("r".repeat(64), "i".repeat(64), " ", List.of(), "i".repeat(64), Set.of()),
                Arguments.of("team.standup_2-b", "sfu-fan", "Zoë 🎥 with 64 code points".repeat(1), List.of("subscribe"),
                        "Zoë 🎥 with 64 code points", Set.of("subscribe")),
                Arguments.of("lobby", "alice", "😀".repeat(64), null, "😀".repeat(64), JoinToken.DEFAULT_PERMISSIONS));
    }

    @ParameterizedTest(name = "room={0} identity={1} name={2} perms={3}")
    @MethodSource("valid")
    void validClaimsPassWithDefaultsFilledIn(String room, String identity, String name, List<String> perms,
                                              String expectedName, Set<String> expectedPerms) throws Exception {
        Claims c = Claims.of(room, identity, name, perms);
        assertEquals(room, c.room());
        assertEquals(identity, c.identity());
        assertEquals(expectedName, c.name());
        assertEquals(expectedPerms, c.permissions());
    }

    @Test
    void theReservedIdentitiesIncludeTheSfusSenderId() {
        assertTrue(io.webrtccluster.signaling.protocol.Ids.RESERVED.contains(io.webrtccluster.signaling.protocol.Ids.SFU));
    }
}
