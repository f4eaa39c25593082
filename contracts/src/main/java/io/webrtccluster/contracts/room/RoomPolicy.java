package io.webrtccluster.contracts.room;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A room's policy. Ad hoc rooms get {@link #defaults()}; pre-declared rooms (the operator writes them
 * from {@code Room} resources) carry a record in Redis under
 * {@link io.webrtccluster.contracts.store.RedisKeys#roomPolicy(String)} encoded by {@link #toHash()}.
 *
 * @param maxParticipants joins beyond this are refused with {@code room-full}
 * @param meshThreshold   in {@link TopologyMode#AUTO}, the largest participant count that stays mesh
 * @param mode            mesh, sfu, mcu or auto
 * @param turnPool        name of the TurnPool whose servers clients get (null: the service's configured ICE servers)
 * @param declared        true when the record came from a Room resource (ad hoc rooms are not declared)
 * @param generation      the Room resource's metadata.generation the record was written from (0 for ad hoc)
 * @param hysteresisSeconds in {@link TopologyMode#AUTO}, how long a room on the SFU must stay at or below the
 *                        mesh threshold before it moves back to mesh (any join restarts the wait)
 * @param mcuThreshold    in {@link TopologyMode#AUTO}, the participant count above which the room mixes audio (0 = never)
 * @param mixerSpeakers   in an MCU room, how many active speakers are mixed at once
 */
public record RoomPolicy(int maxParticipants, int meshThreshold, TopologyMode mode, String turnPool,
                         boolean declared, long generation, int hysteresisSeconds, int mcuThreshold, int mixerSpeakers) {

    public static final int DEFAULT_MAX_PARTICIPANTS = 50;
    public static final int DEFAULT_MESH_THRESHOLD = 4;
    public static final int DEFAULT_HYSTERESIS_SECONDS = 10;
    public static final int DEFAULT_MIXER_SPEAKERS = 3;

    public RoomPolicy {
        if (maxParticipants < 1) {
            throw new IllegalArgumentException("maxParticipants must be >= 1, was " + maxParticipants);
        }
        if (meshThreshold < 1 || meshThreshold > maxParticipants) {
            throw new IllegalArgumentException("meshThreshold must be within 1..maxParticipants, was " + meshThreshold);
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (hysteresisSeconds < 0 || hysteresisSeconds > 3600) {
            throw new IllegalArgumentException("hysteresisSeconds must be within 0..3600, was " + hysteresisSeconds);
        }
        if (mcuThreshold != 0 && mcuThreshold < meshThreshold) {
            throw new IllegalArgumentException("mcuThreshold must be 0 (never) or >= meshThreshold, was " + mcuThreshold);
        }
        if (mixerSpeakers < 1 || mixerSpeakers > 15) {
            throw new IllegalArgumentException("mixerSpeakers must be within 1..15, was " + mixerSpeakers);
        }
    }

    /** A policy with the default hysteresis and no MCU settings (never mixes in auto mode; 3 speakers if the mode is mcu). */
    public RoomPolicy(int maxParticipants, int meshThreshold, TopologyMode mode, String turnPool, boolean declared, long generation) {
        this(maxParticipants, meshThreshold, mode, turnPool, declared, generation, DEFAULT_HYSTERESIS_SECONDS);
    }

    /** A policy with a hysteresis and no MCU settings. */
    public RoomPolicy(int maxParticipants, int meshThreshold, TopologyMode mode, String turnPool, boolean declared, long generation,
                      int hysteresisSeconds) {
        this(maxParticipants, meshThreshold, mode, turnPool, declared, generation, hysteresisSeconds, 0, DEFAULT_MIXER_SPEAKERS);
    }

    /** A policy with MCU settings and the default hysteresis. */
    public RoomPolicy(int maxParticipants, int meshThreshold, TopologyMode mode, String turnPool, boolean declared, long generation,
                      int mcuThreshold, int mixerSpeakers) {
        this(maxParticipants, meshThreshold, mode, turnPool, declared, generation, DEFAULT_HYSTERESIS_SECONDS, mcuThreshold, mixerSpeakers);
    }

    public static RoomPolicy defaults() {
        return new RoomPolicy(DEFAULT_MAX_PARTICIPANTS, DEFAULT_MESH_THRESHOLD, TopologyMode.MESH, null, false, 0);
    }

    public Map<String, String> toHash() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("maxParticipants", Integer.toString(maxParticipants));
        h.put("meshThreshold", Integer.toString(meshThreshold));
        h.put("mode", mode.wireName());
        if (turnPool != null) {
            h.put("turnPool", turnPool);
        }
        h.put("declared", Boolean.toString(declared));
        h.put("generation", Long.toString(generation));
        h.put("hysteresisSeconds", Integer.toString(hysteresisSeconds));
        h.put("mcuThreshold", Integer.toString(mcuThreshold));
        h.put("mixerSpeakers", Integer.toString(mixerSpeakers));
        return h;
    }

    /** Parses a policy hash; missing fields take their defaults so older records keep working. */
    public static RoomPolicy fromHash(Map<String, String> h) {
        RoomPolicy d = defaults();
        return new RoomPolicy(
                intOr(h.get("maxParticipants"), d.maxParticipants()),
                intOr(h.get("meshThreshold"), d.meshThreshold()),
                h.containsKey("mode") ? TopologyMode.fromWire(h.get("mode")) : d.mode(),
                h.get("turnPool"),
                Boolean.parseBoolean(h.getOrDefault("declared", "true")),
                h.containsKey("generation") ? Long.parseLong(h.get("generation")) : 0,
                intOr(h.get("hysteresisSeconds"), d.hysteresisSeconds()),
                intOr(h.get("mcuThreshold"), d.mcuThreshold()),
                intOr(h.get("mixerSpeakers"), d.mixerSpeakers()));
    }

    private static int intOr(String s, int fallback) {
        return s == null ? fallback : Integer.parseInt(s);
    }
}
