package io.webrtccluster.contracts.room;

import java.util.Locale;

/** What a room's policy asks for: a fixed topology, or a choice by participant count. */
public enum TopologyMode {
    MESH,
    SFU,
    MCU,
    /** Mesh up to the mesh threshold, SFU above it, MCU above the MCU threshold (when the policy sets one). */
    AUTO;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TopologyMode fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
