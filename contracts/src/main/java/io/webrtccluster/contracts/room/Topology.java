package io.webrtccluster.contracts.room;

import java.util.Locale;

/** How media flows in a room right now. */
public enum Topology {
    /** Every browser sends to every other browser directly (or through TURN). */
    MESH,
    /** Every browser sends once to an SFU worker, which forwards to the others. */
    SFU;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Topology fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
