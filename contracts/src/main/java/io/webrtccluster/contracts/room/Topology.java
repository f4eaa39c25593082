package io.webrtccluster.contracts.room;

import java.util.Locale;

/** How media flows in a room right now. */
public enum Topology {
    /** Every browser sends to every other browser directly (or through TURN). */
    MESH,
    /** Every browser sends once to an SFU worker, which forwards to the others. */
    SFU,
    /** Every browser sends once to a worker, which mixes the audio (one stream per listener) and forwards video. */
    MCU;

    /** Whether media goes through an sfu-worker (SFU and MCU rooms do; mesh rooms do not). */
    public boolean usesWorker() {
        return this != MESH;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Topology fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
