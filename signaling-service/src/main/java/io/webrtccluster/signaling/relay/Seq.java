package io.webrtccluster.signaling.relay;

/** Inbox sequence ids are Redis stream ids, {@code <millis>-<n>}; they order numerically, not as strings. */
public final class Seq {
    private Seq() {
    }

    public static int compare(String a, String b) {
        if (a == null) {
            return b == null ? 0 : -1;
        }
        if (b == null) {
            return 1;
        }
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return c != 0 ? c : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    public static boolean valid(String s) {
        return s != null && s.matches("\\d{1,19}-\\d{1,19}");
    }
}
