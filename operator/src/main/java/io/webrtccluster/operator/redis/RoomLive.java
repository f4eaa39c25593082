package io.webrtccluster.operator.redis;

import java.util.Map;

/**
 * What signaling reports about a room right now, from its members hash and its state hash.
 *
 * @param roomId       data-plane room id
 * @param participants live participants
 * @param topology     mesh or sfu, or null before anyone joined
 * @param switching    the topology a switch under way is bringing up, or null when stable
 * @param lastSwitch   the last completed switch, or null before the first
 */
public record RoomLive(String roomId, int participants, String topology, String switching, Switch lastSwitch) {

    /**
     * A completed topology switch.
     *
     * @param at             when it committed (epoch millis); also what tells one switch from the next
     * @param durationMillis from the decision to the commit
     */
    public record Switch(String from, String to, long at, int participants, long durationMillis) {
    }

    public RoomLive(String roomId, int participants, String topology) {
        this(roomId, participants, topology, null, null);
    }

    public static RoomLive empty(String roomId) {
        return new RoomLive(roomId, 0, null);
    }

    /** Reads the fields signaling writes into {@code RedisKeys.roomState(roomId)}; unknown or missing ones are ignored. */
    public static RoomLive fromState(String roomId, int participants, Map<String, String> state) {
        String target = state.get("target");
        Switch last = null;
        if (notEmpty(state.get("lastSwitchTo")) && num(state, "lastSwitchAt") > 0) {
            last = new Switch(state.get("lastSwitchFrom"), state.get("lastSwitchTo"), num(state, "lastSwitchAt"),
                    (int) num(state, "lastSwitchParticipants"), num(state, "lastSwitchMillis"));
        }
        return new RoomLive(roomId, participants, state.get("topology"), notEmpty(target) ? target : null, last);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static long num(Map<String, String> h, String k) {
        try {
            return notEmpty(h.get(k)) ? Long.parseLong(h.get(k)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
