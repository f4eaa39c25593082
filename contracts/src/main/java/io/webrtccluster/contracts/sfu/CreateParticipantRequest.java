package io.webrtccluster.contracts.sfu;

/**
 * Opens a participant's transport on a worker.
 *
 * @param participantId the signaling participant id (unique in the room)
 * @param simulcast     offer up to three simulcast layers for the participant's video (default false)
 * @param autoSubscribe subscribe to everyone else's tracks now and as they appear (default true)
 */
public record CreateParticipantRequest(String participantId, Boolean simulcast, Boolean autoSubscribe) {
}
