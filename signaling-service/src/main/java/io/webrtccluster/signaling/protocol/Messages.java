package io.webrtccluster.signaling.protocol;

import java.util.Collection;
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

/** Builds the server-to-client messages of protocol v2 (see the README's protocol section). */
public final class Messages {
    /** The newest protocol version; v2 adds live topology switching (topology-prepare/commit/abort, sfu-open, topology-ready). */
    public static final int PROTOCOL_VERSION = 2;
    /** The values of {@code v} a join may carry; the one place that lists them. v1 clients join mesh and fixed-SFU rooms only. */
    public static final Set<Integer> SUPPORTED_VERSIONS = Set.of(1, PROTOCOL_VERSION);
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

    /**
     * @param topology what the joiner runs: the room's topology, or the target of a switch under way
     * @param switching the switch under way (its {@code from} is the topology the others still run), or null
     */
    public static String joined(String roomId, String sessionId, Member self, List<Member> others, Topology topology,
                                long epoch, Topology switchingFrom, RoomPolicy policy, List<IceServer> iceServers, boolean resumed,
                                int version) {
        ObjectNode n = JSON.createObjectNode().put("type", "joined").put("v", version).put("room", roomId)
                .put("sessionId", sessionId).put("resumed", resumed).put("topology", topology.wireName()).put("epoch", epoch);
        if (switchingFrom != null) {
            n.putObject("switching").put("from", switchingFrom.wireName()).put("to", topology.wireName());
        }
        n.set("participant", participant(self));
        ArrayNode ps = n.putArray("participants");
        others.forEach(m -> ps.add(participant(m)));
        n.putObject("policy").put("maxParticipants", policy.maxParticipants()).put("meshThreshold", policy.meshThreshold())
                .put("mode", policy.mode().wireName()).put("hysteresisSeconds", policy.hysteresisSeconds())
                .put("mcuThreshold", policy.mcuThreshold()).put("mixerSpeakers", policy.mixerSpeakers());
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

    /**
     * A switch starts: bring up {@code target} beside {@code current}, which keeps flowing; report READY when it
     * decodes. (Not "from": that field names a message's sender, and "sfu" is the SFU's sender id.)
     */
    public static String topologyPrepare(long epoch, Topology target, Topology current) {
        return JSON.createObjectNode().put("type", "topology-prepare").put("epoch", epoch).put("topology", target.wireName())
                .put("current", current.wireName()).toString();
    }

    /**
     * The switch is done: everyone runs {@code topology}; old paths stop. {@code late}: members that had not
     * reported READY (a deadline commit); they may still show others from the old path for a moment.
     */
    public static String topologyCommit(long epoch, Topology topology, long durationMillis, int participants,
                                        Collection<String> late) {
        ObjectNode m = JSON.createObjectNode().put("type", "topology-commit").put("epoch", epoch).put("topology", topology.wireName())
                .put("durationMs", durationMillis).put("participants", participants);
        late.forEach(m.putArray("late")::add);
        return m.toString();
    }

    /** The switch is off: everyone stays on {@code topology}; drop the {@code abandoned} path. */
    public static String topologyAbort(long epoch, Topology topology, Topology abandoned, String reason) {
        return JSON.createObjectNode().put("type", "topology-abort").put("epoch", epoch).put("topology", topology.wireName())
                .put("abandoned", abandoned.wireName()).put("reason", reason).toString();
    }

    /** A switch to {@code wanted} is due but cannot start; the room stays on {@code topology}. */
    public static String topologyHeld(Topology topology, Topology wanted, String reason) {
        return JSON.createObjectNode().put("type", "topology-held").put("topology", topology.wireName())
                .put("wanted", wanted.wireName()).put("reason", reason).toString();
    }

    /** At most {@code max} characters of client-supplied text, for logs. */
    public static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    public static String pong() {
        return "{\"type\":\"pong\"}";
    }

    /** A peer's offer/answer/candidate as the addressee sees it: the sender's fields with {@code from} set by the server. */
    public static String relayed(String type, String from, JsonNode payloadField, String payloadName, String connectionId) {
        ObjectNode n = JSON.createObjectNode().put("type", type).put("from", from);
        n.set(payloadName, payloadField);
        if (connectionId != null) {
            n.put("pc", connectionId); // which of the pair's peer connections it belongs to (mesh peers re-create theirs)
        }
        return n.toString();
    }

    private static final java.util.regex.Pattern CONNECTION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A mesh peer connection id as the SDK sends it in {@code pc}. */
    public static boolean validConnectionId(JsonNode pc) {
        return pc.isTextual() && CONNECTION_ID.matcher(pc.asText()).matches();
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
