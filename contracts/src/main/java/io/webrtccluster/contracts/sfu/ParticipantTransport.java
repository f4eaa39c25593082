package io.webrtccluster.contracts.sfu;

/**
 * The answer to {@link CreateParticipantRequest} and to {@link SfuAnswer}.
 *
 * @param room          room id
 * @param participantId participant id
 * @param workerId      the worker that holds the transport
 * @param offer         the offer the browser must answer next, or null when none is outstanding
 * @param delivered     true when the worker already delivered {@code offer} to the participant's inbox
 *                      in Redis (then signaling must not forward it again)
 */
public record ParticipantTransport(String room, String participantId, String workerId, SfuOffer offer,
                                   boolean delivered) {
}
