package io.webrtccluster.signaling.protocol;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.webrtccluster.contracts.room.RoomPolicy;
import io.webrtccluster.contracts.room.Topology;
import io.webrtccluster.signaling.ice.IceServer;
import io.webrtccluster.signaling.room.Member;

/** Builds the server-to-client messages of protocol v1 (see the README's protocol section). */
public final class Messages {
    public static final int PROTOCOL_VERSION = 1;
    /** The values of {@code v} a join may carry; the one place that lists them. */
    public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(PROTOCOL_VERSION);
    public static final ObjectMapper JSON = new ObjectMapper();

    private Messages() {
    }

    /** Whether a join's {@code v} is one we speak: a JSON integer (not 1.0, "1" or 2^32+1) in {@link #SUPPORTED_VERSIONS}. */
    public static boolean supportsVersion(JsonNode v) {
        return v != null && v.isIntegralNumber() && v.canConvertToInt() && SUPPORTED_VERSIONS.contains(v.intValue());
    }

    /** For error messages: "1" or "1, 2". */
    public static String supportedVersions() {
        return String.join(", ", new TreeSet<>(SUPPORTED_VERSIONS).stream().map(String::valueOf).toList());
    }

    public static String error(ErrorCode code, String message, String ref) {
        ObjectNode n = JSON.createObjectNode().put("type", "error").put("code", code.wire()).put("message", message);
        if (ref != null) {
            n.put("ref", ref);
        }
        return n.toString();
    }

    public static String joined(String roomId, String sessionId, Member self, List<Member> others, Topology topology,
                                RoomPolicy policy, List<IceServer> iceServers, boolean resumed) {
        ObjectNode n = JSON.createObjectNode().put("type", "joined").put("v", PROTOCOL_VERSION).put("room", roomId)
                .put("sessionId", sessionId).put("resumed", resumed).put("topology", topology.wireName());
        n.set("participant", participant(self));
        ArrayNode ps = n.putArray("participants");
        others.forEach(m -> ps.add(participant(m)));
        n.putObject("policy").put("maxParticipants", policy.maxParticipants()).put("meshThreshold", policy.meshThreshold())
                .put("mode", policy.mode().wireName());
        ArrayNode ice = n.putArray("iceServers");
        for (IceServer s : iceServers) {
            ObjectNode o = ice.addObject();
            ArrayNode urls = o.putArray("urls");
            s.urls().forEach(urls::add);
            if (s.username() != null) {
                o.put("username", s.username()).put("credential", s.credential());
            }
        }
        return n.toString();
    }

    public static String participantJoined(Member m) {
        ObjectNode n = JSON.createObjectNode().put("type", "participant-joined");
        n.set("participant", participant(m));
        return n.toString();
    }

    public static String participantLeft(String participantId, String reason) {
        return JSON.createObjectNode().put("type", "participant-left").put("participantId", participantId)
                .put("reason", reason).toString();
    }

    public static String topology(Topology t) {
        return JSON.createObjectNode().put("type", "topology").put("topology", t.wireName()).toString();
    }

    public static String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** A peer's offer/answer/candidate as the addressee sees it: the sender's fields with {@code from} set by the server. */
    public static String relayed(String type, String from, JsonNode payloadField, String payloadName) {
        ObjectNode n = JSON.createObjectNode().put("type", type).put("from", from);
        n.set(payloadName, payloadField);
        return n.toString();
    }

    /** Adds the inbox sequence id to a delivered message (the client reports the last one when it resumes). */
    public static String withSeq(String json, String seq) {
        // The JSON is an object we produced; splice instead of re-parsing on the hot path.
        return "{\"seq\":\"" + seq + "\"," + json.substring(1);
    }

    private static ObjectNode participant(Member m) {
        return JSON.createObjectNode().put("id", m.id()).put("name", m.name());
    }
}
