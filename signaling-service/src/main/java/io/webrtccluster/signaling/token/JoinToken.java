package io.webrtccluster.signaling.token;

import java.time.Instant;
import java.util.Set;

/**
 * What a signed join token grants: one identity, in one room, until it expires.
 *
 * @param permissions e.g. {@code publish}, {@code subscribe}
 */
public record JoinToken(String room, String identity, String name, Instant expiresAt, Set<String> permissions) {
    public static final Set<String> DEFAULT_PERMISSIONS = Set.of("publish", "subscribe");

    public boolean may(String permission) {
        return permissions.contains(permission);
    }
}
