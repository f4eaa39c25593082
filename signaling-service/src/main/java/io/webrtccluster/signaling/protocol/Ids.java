package io.webrtccluster.signaling.protocol;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Room ids and participant identities: short, URL- and Redis-key-safe. Identities the protocol uses for its
 * own side of a conversation ({@code from: "sfu"} is the SFU's offer) are reserved in any letter case.
 */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String SFU = "sfu";
    /** "mix": the stream id of an MCU room's mixed audio, which the SDK tells apart from participants by it. */
    public static final Set<String> RESERVED = Set.of(SFU, "server", "mixer", "mix");

    private Ids() {
    }

    /** Follows {@link #RULE}. */
    public static boolean wellFormed(String s) {
        return s != null && ID.matcher(s).matches();
    }

    public static boolean validRoom(String s) {
        return wellFormed(s);
    }

    public static boolean validIdentity(String s) {
        return wellFormed(s) && !reserved(s);
    }

    public static boolean reserved(String identity) {
        return RESERVED.contains(identity.toLowerCase(Locale.ROOT));
    }

    public static final String RULE = "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";
}
