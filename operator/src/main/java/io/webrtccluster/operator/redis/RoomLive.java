package io.webrtccluster.operator.redis;

/**
 * What signaling reports about a room right now.
 *
 * @param roomId       data-plane room id
 * @param participants live participants
 * @param topology     mesh or sfu, or null before anyone joined
 */
public record RoomLive(String roomId, int participants, String topology) {
    public static RoomLive empty(String roomId) {
        return new RoomLive(roomId, 0, null);
    }
}
