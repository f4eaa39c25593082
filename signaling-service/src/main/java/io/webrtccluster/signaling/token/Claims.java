package io.webrtccluster.signaling.token;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import io.webrtccluster.signaling.protocol.Ids;

/**
 * What a join token may say, checked in one place: by both minting endpoints before signing, and at join
 * after the signature verified (a signature proves who wrote the claims, not that they are sane).
 *
 * @param name display name; defaults to the identity
 */
public record Claims(String room, String identity, String name, Set<String> permissions) {
    public static final int MAX_NAME_LENGTH = 64;
    public static final Set<String> PERMISSIONS = Set.of("publish", "subscribe");

    /** A claim that breaks the rules; the message names the claim and the rule. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param name        null or blank: the identity
     * @param permissions null: {@link JoinToken#DEFAULT_PERMISSIONS}
     */
    public static Claims of(String room, String identity, String name, Collection<String> permissions) throws Invalid {
        if (!Ids.validRoom(room)) {
            throw new Invalid("room: " + Ids.RULE);
        }
        if (Ids.wellFormed(identity) && Ids.reserved(identity)) {
            throw new Invalid("identity: \"" + identity + "\" is reserved for the service (so are "
                    + String.join(", ", new TreeSet<>(Ids.RESERVED)) + ")");
        }
        if (!Ids.validIdentity(identity)) {
            throw new Invalid("identity: " + Ids.RULE);
        }
        String display = name == null || name.isBlank() ? identity : name;
        if (display.codePointCount(0, display.length()) > MAX_NAME_LENGTH) {
            throw new Invalid("name: at most " + MAX_NAME_LENGTH + " characters");
        }
        if (!printable(display)) {
            throw new Invalid("name: no control characters, line breaks or broken surrogate pairs");
        }
        if (permissions != null) {
            for (String p : permissions) {
                if (p == null || !PERMISSIONS.contains(p)) {
                    throw new Invalid("permissions: each is one of " + new TreeSet<>(PERMISSIONS));
                }
            }
        }
        Set<String> perms = permissions == null ? JoinToken.DEFAULT_PERMISSIONS : Set.copyOf(permissions);
        return new Claims(room, identity, display, perms);
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
                continue;
            }
            int type = Character.getType(c);
            if (Character.isLowSurrogate(c) || type == Character.CONTROL || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
        }
        return true;
    }
}
