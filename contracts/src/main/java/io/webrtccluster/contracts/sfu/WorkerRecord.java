package io.webrtccluster.contracts.sfu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An SFU worker's registration in Redis ({@link io.webrtccluster.contracts.store.RedisKeys#sfuWorker(String)}),
 * refreshed by its heartbeat; the key's TTL makes a dead worker disappear.
 *
 * @param id               stable worker id (pod name)
 * @param controlUrl       base URL of the worker's HTTP control API, as signaling reaches it
 * @param room             the room this worker is dedicated to, or null for a shared worker
 * @param participants     transports currently open
 * @param streams          producers + consumers currently forwarding
 * @param packetsPerSecond RTP packets forwarded per second, last interval
 * @param draining         true after SIGTERM: takes no new participants
 */
public record WorkerRecord(String id, String controlUrl, String room, int participants, int streams,
                           long packetsPerSecond, boolean draining) {

    public Map<String, String> toHash() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("id", id);
        h.put("controlUrl", controlUrl);
        if (room != null) {
            h.put("room", room);
        }
        h.put("participants", Integer.toString(participants));
        h.put("streams", Integer.toString(streams));
        h.put("packetsPerSecond", Long.toString(packetsPerSecond));
        h.put("draining", Boolean.toString(draining));
        return h;
    }

    public static WorkerRecord fromHash(Map<String, String> h) {
        return new WorkerRecord(h.get("id"), h.get("controlUrl"), h.get("room"),
                Integer.parseInt(h.getOrDefault("participants", "0")),
                Integer.parseInt(h.getOrDefault("streams", "0")),
                Long.parseLong(h.getOrDefault("packetsPerSecond", "0")),
                Boolean.parseBoolean(h.getOrDefault("draining", "false")));
    }
}
