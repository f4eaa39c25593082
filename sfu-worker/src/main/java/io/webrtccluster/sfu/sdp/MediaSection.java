package io.webrtccluster.sfu.sdp;

import java.util.List;

/**
 * One m-line of the offer the worker makes to a participant.
 *
 * @param mid       the m-line's MID, unique and never reused within the session
 * @param kind      "audio" or "video"
 * @param direction from the worker's side: "recvonly" (the participant publishes here),
 *                  "sendonly" (the worker forwards someone else's track), or "inactive" (closed)
 * @param ssrc      for sendonly: the SSRC this subscriber sees; 0 otherwise
 * @param streamId  for sendonly: the msid stream id (the publisher's participant id)
 * @param trackId   for sendonly: the msid track id
 * @param rids      for recvonly video with simulcast: the rids we accept, lowest quality first
 */
public record MediaSection(String mid, String kind, String direction, long ssrc, String streamId, String trackId,
                           List<String> rids) {
    public boolean closed() {
        return "inactive".equals(direction);
    }

    public MediaSection close() {
        return new MediaSection(mid, kind, "inactive", 0, null, null, List.of());
    }
}
