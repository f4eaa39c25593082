package io.webrtccluster.contracts.sfu;

/**
 * Subscribes a participant to a publisher's tracks, or sets the highest simulcast layer it receives.
 *
 * @param publisherId the participant whose tracks to receive
 * @param maxLayer    highest simulcast layer (0 = lowest .. 2 = highest); null leaves it unchanged
 */
public record SubscriptionRequest(String publisherId, Integer maxLayer) {
}
