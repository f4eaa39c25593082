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
 * @param mode            mesh, sfu or auto
 * @param turnPool        name of the TurnPool whose servers clients get (null: the service's configured ICE servers)
 * @param declared        true when the record came from a Room resource (ad hoc rooms are not declared)
 * @param generation      the Room resource's metadata.generation the record was written from (0 for ad hoc)
 * @param hysteresisSeconds in {@link TopologyMode#AUTO}, how long a room on the SFU must stay at or below the
 *                        mesh threshold before it moves back to mesh (any join restarts the wait)
 */
public record RoomPolicy(int maxParticipants, int meshThreshold, TopologyMode mode, String turnPool,
                         boolean declared, long generation, int hysteresisSeconds) {

    public static final int DEFAULT_MAX_PARTICIPANTS = 50;
    public static final int DEFAULT_MESH_THRESHOLD = 4;
    public static final int DEFAULT_HYSTERESIS_SECONDS = 10;

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
    }

    /** A policy with the default hysteresis. */
    public RoomPolicy(int maxParticipants, int meshThreshold, TopologyMode mode, String turnPool, boolean declared, long generation) {
        this(maxParticipants, meshThreshold, mode, turnPool, declared, generation, DEFAULT_HYSTERESIS_SECONDS);
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
                intOr(h.get("hysteresisSeconds"), d.hysteresisSeconds()));
    }

    private static int intOr(String s, int fallback) {
        return s == null ? fallback : Integer.parseInt(s);
    }
}
