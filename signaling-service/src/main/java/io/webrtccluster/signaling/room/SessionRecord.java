package io.webrtccluster.signaling.room;

/** What a signaling session is: one member of one room. Kept with a TTL so a reconnecting client can resume it. */
public record SessionRecord(String roomId, Member member) {
    public String sessionId() {
        return member.sessionId();
    }
}
