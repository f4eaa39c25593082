package io.webrtccluster.signaling.protocol;

import java.util.regex.Pattern;

/** Room ids and participant identities: short, URL- and Redis-key-safe. "sfu" is reserved for the SFU worker's side of a connection. */
public final class Ids {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String SFU = "sfu";

    private Ids() {
    }

    public static boolean validRoom(String s) {
        return s != null && ID.matcher(s).matches();
    }

    public static boolean validIdentity(String s) {
        return s != null && ID.matcher(s).matches() && !SFU.equals(s);
    }

    public static final String RULE = "1-64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit";
}
