package io.webrtccluster.sfu.room;

import java.util.Locale;

/**
 * How a room's audio reaches its listeners: forwarded per speaker (an SFU room), mixed into one stream
 * per listener (an MCU room), or both while a live switch between the two is being prepared, so each
 * client can change over once the new one decodes and nobody hears a gap. Video is always forwarded.
 */
public enum AudioMode {
    FORWARDED,
    MIXED,
    BOTH;

    boolean mixes() {
        return this != FORWARDED;
    }

    boolean forwards() {
        return this != MIXED;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "forwarded", "mixed" or "both"; anything else is refused in the control API's terms. */
    public static AudioMode fromWire(String s) {
        for (AudioMode m : values()) {
            if (m.wireName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("audio mode must be forwarded, mixed or both, was " + (s == null ? "missing" : "\"" + s + "\""));
    }
}
