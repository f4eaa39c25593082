package io.webrtccluster.contracts.turn;

import java.time.Instant;

/**
 * A TURN REST credential as handed to a browser in its ICE servers.
 *
 * @param username  {@code <unix-expiry>:<user>}
 * @param password  base64(HMAC-SHA1(secret, username))
 * @param expiresAt when coturn stops accepting it
 */
public record TurnCredential(String username, String password, Instant expiresAt) {
}
