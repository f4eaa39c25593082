package io.webrtccluster.contracts.sfu;

/** The browser's answer to {@link SfuOffer} {@code version}, relayed by signaling to the worker. */
public record SfuAnswer(String sdp, long version) {
}
