package io.webrtccluster.signaling.relay;

/** One message for one participant: the inbox sequence id and the JSON the browser receives. */
public record Delivery(String seq, String json) {
}
